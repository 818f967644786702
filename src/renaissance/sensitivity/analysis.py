"""Sensitivity indices from sampled runs, as an ``xarray.Dataset`` over ``parameter``.

=========  ===================================  =========================================
method     SALib analyser                       variables (dims ``parameter`` [, time])
=========  ===================================  =========================================
sobol      ``SALib.analyze.sobol``              ``S1, S1_conf, ST, ST_conf`` (+ ``S2,
                                                S2_conf`` over ``parameter, other`` with
                                                second-order samples)
morris     ``SALib.analyze.morris``             ``mu, mu_star, sigma, mu_star_conf``
fast       ``SALib.analyze.fast`` (eFAST)       ``S1, S1_conf, ST, ST_conf``
lhs        ``SALib.analyze.rbd_fast`` (RBD-FAST ``S1, S1_conf``
           on the Latin hypercube)
=========  ===================================  =========================================

``*_conf`` are half-widths of bootstrap confidence intervals at ``confidence`` (95% by
default); eFAST's are indicative only (SALib issue 649).

Failed runs (non-finite states) have NaN outputs. For Sobol the whole Saltelli block of
a failed run (``D + 2`` runs, ``2D + 2`` with second order) is dropped, for Morris its
trajectory (``D + 1`` runs), for LHS the run itself; the number of runs used is in
``attrs["runs_used"]``. eFAST needs every run: its indices are NaN if any failed.
"""

from __future__ import annotations

import warnings

import numpy as np
import xarray as xr

from renaissance.sensitivity.sampling import (
    LHS_ANALYSED_MINIMUM,
    RBD_HARMONICS,
    SampleSet,
    check_samples,
    derived_seed,
)

INDICES = {
    "sobol": ("S1", "S1_conf", "ST", "ST_conf"),
    "morris": ("mu", "mu_star", "sigma", "mu_star_conf"),
    "fast": ("S1", "S1_conf", "ST", "ST_conf"),
    "lhs": ("S1", "S1_conf"),
}
DESCRIPTIONS = {
    "S1": "first-order Sobol' index (share of output variance)",
    "ST": "total-order Sobol' index (share of output variance with interactions)",
    "S2": "second-order Sobol' index",
    "mu": "mean elementary effect (output units per unit of the parameter's range)",
    "mu_star": "mean absolute elementary effect (output units)",
    "sigma": "standard deviation of the elementary effects (output units)",
}


def _block(samples: SampleSet) -> int:
    """Consecutive runs that stand or fall together when a run fails."""
    size = samples.problem.size
    if samples.method == "sobol":
        return 2 * size + 2 if samples.options.get("second_order") else size + 2
    if samples.method == "morris":
        return size + 1
    if samples.method == "fast":
        return samples.runs
    return 1


def _usable_rows(samples: SampleSet, values: np.ndarray) -> np.ndarray:
    """Boolean mask of runs kept: whole blocks without a non-finite output."""
    block = _block(samples)
    finite = np.isfinite(values).reshape(-1, block).all(axis=1)
    return np.repeat(finite, block)


def _analyze_vector(
    samples: SampleSet, values: np.ndarray, seed: int, confidence: float, resamples: int
) -> dict:
    from SALib.analyze import fast, morris, rbd_fast, sobol

    problem = samples.problem.to_salib()
    keep = _usable_rows(samples, values)
    size = samples.problem.size
    nan = {name: np.full(size, np.nan) for name in INDICES[samples.method]}
    too_few = samples.method == "lhs" and keep.sum() < LHS_ANALYSED_MINIMUM
    if too_few or not keep.any() or np.ptp(values[keep]) == 0:
        # too few usable runs (failures), or an output that does not vary: undefined
        return {**nan, "runs_used": int(keep.sum())}
    x, y = samples.values[keep], values[keep]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if samples.method == "sobol":
            result = sobol.analyze(
                problem,
                y,
                calc_second_order=samples.options.get("second_order", False),
                num_resamples=resamples,
                conf_level=confidence,
                seed=seed,
            )
        elif samples.method == "morris":
            result = morris.analyze(
                problem,
                x,
                y,
                num_resamples=resamples,
                conf_level=confidence,
                num_levels=samples.options.get("levels", 4),
                seed=seed,
            )
        elif samples.method == "fast":
            # SALib's eFAST seeds numpy's global generator: restore it afterwards.
            state = np.random.get_state()  # noqa: NPY002 (SALib uses the legacy one)
            try:
                warnings.simplefilter("ignore", UserWarning)  # its note on bootstrap CIs
                result = fast.analyze(
                    problem,
                    y,
                    M=samples.options.get("harmonics", 4),
                    num_resamples=resamples,
                    conf_level=confidence,
                    seed=seed,
                )
            finally:
                np.random.set_state(state)  # noqa: NPY002
        else:
            result = rbd_fast.analyze(
                problem,
                x,
                y,
                M=RBD_HARMONICS,
                num_resamples=resamples,
                conf_level=confidence,
                seed=seed,
            )
    out = {name: np.asarray(result[name], dtype=float) for name in INDICES[samples.method]}
    if samples.method == "sobol" and samples.options.get("second_order"):
        out["S2"] = np.asarray(result["S2"], dtype=float)
        out["S2_conf"] = np.asarray(result["S2_conf"], dtype=float)
    out["runs_used"] = int(keep.sum())
    return out


def analyze(
    samples: SampleSet,
    outputs,
    *,
    seed: int | None = None,
    confidence: float = 0.95,
    resamples: int = 100,
) -> xr.Dataset:
    """Sensitivity indices of each output with respect to each parameter.

    Parameters
    ----------
    samples : SampleSet
        The samples the outputs were computed from (same order).
    outputs : xarray.DataArray or xarray.Dataset
        Values with a ``member`` dim of length ``samples.runs``, and optionally a ``time``
        dim (then indices are computed for every saved time). In a Dataset every
        variable except ``status`` is an output; all must share the same dims.
    seed : int, optional
        Seed of the bootstrap confidence intervals (default: the samples' seed).
    confidence : float
        Confidence level of the ``*_conf`` half-widths, in (0, 1).
    resamples : int
        Bootstrap resamples.

    Returns
    -------
    xarray.Dataset
        Index variables (see the module table) with dims ``output, parameter`` and
        ``time`` when the outputs have it; ``runs_used`` per output (and time);
        attrs ``method, samples, runs, seed, confidence``.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    check_samples(
        samples.method, samples.samples, samples.options.get("harmonics", 4), analysed=True
    )
    if isinstance(outputs, xr.DataArray):
        outputs = outputs.to_dataset(name=outputs.name or "output")
    names = [n for n in outputs.data_vars if n != "status"]
    if not names:
        raise ValueError("no outputs to analyse")
    dims = {tuple(d for d in outputs[n].dims if d != "member") for n in names}
    if len(dims) != 1 or not dims <= {(), ("time",)}:
        raise ValueError(
            f"outputs must all be one value per member or all one per member and time; "
            f"got dims {sorted(dims)} - analyse them separately"
        )
    over_time = dims == {("time",)}
    for name in names:
        if outputs.sizes.get("member") != samples.runs:
            raise ValueError(
                f"output {name!r} has {outputs.sizes.get('member')} members but the "
                f"samples have {samples.runs} runs"
            )
    analysis_seed = derived_seed(samples.seed if seed is None else seed, "analyze")
    parameters = list(samples.problem.names)
    per_output = []
    for name in names:
        value = outputs[name].transpose("member", ...).values
        columns = [value] if not over_time else [value[:, t] for t in range(value.shape[1])]
        results = [
            _analyze_vector(
                samples, np.asarray(c, dtype=float), analysis_seed, confidence, resamples
            )
            for c in columns
        ]
        data = {}
        for key in results[0]:
            stacked = np.stack([r[key] for r in results])
            if key == "runs_used":
                data[key] = (("time",), stacked) if over_time else ((), stacked[0])
            elif key.startswith("S2"):
                dims_s2 = ("parameter", "other")
                data[key] = ((("time", *dims_s2)), stacked) if over_time else (dims_s2, stacked[0])
            else:
                data[key] = (
                    (("time", "parameter"), stacked) if over_time else (("parameter",), stacked[0])
                )
        coords = {"parameter": parameters}
        if any(k.startswith("S2") for k in data):
            coords["other"] = parameters
        if over_time:
            coords["time"] = outputs["time"].values
        per_output.append(xr.Dataset(data, coords=coords))
    result = xr.concat(
        per_output, dim="output", data_vars="all", coords="minimal", compat="override", join="exact"
    )
    result = result.assign_coords(output=names)
    order = ["output", "parameter", *(["time"] if over_time else [])]
    result = result.transpose(*order, ...)
    for key, text in DESCRIPTIONS.items():
        if key in result:
            result[key].attrs["description"] = text
    result = result.assign_coords(units=("parameter", list(samples.problem.units)))
    result.attrs.update(
        method=samples.method,
        samples=samples.samples,
        runs=samples.runs,
        seed=samples.seed,
        confidence=confidence,
    )
    return result
