"""Evaluating sampled parameter sets with the engine's ensembles, chunk by chunk.

A :class:`Setup` is a small picklable recipe for the runs of one scenario (or of the bare
model): it is what travels to a Dask worker, which rebuilds the model once per process
and checks that its model file has the same sha256 as the caller's. A chunk of samples
is integrated as one ensemble and reduced at once to the study's outputs, so only the
outputs (one number, or one trajectory, per run) are ever gathered.
"""

from __future__ import annotations

import functools
import json
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from renaissance.engine.params import overlay_table
from renaissance.sensitivity.outputs import OutputSpec, variables_needed

DEFAULT_CHUNK = 1000
"""Runs per chunk: large enough for the vectorised engine to reach its per-run speed,
small enough to give progress and to lose little when a worker is lost."""


METRIC_PASS = 100
"""Runs per engine pass when an output is a metric (every variable is returned)."""


@dataclass(frozen=True)
class Setup:
    """How to run one scenario: the recipe a worker rebuilds the model from.

    Attributes
    ----------
    label : str
        Name shown in results (the scenario's name, or ``model``).
    scenario : str or None
        Scenario name or YAML path for ``renaissance.scenarios`` (None: bare model).
    model_file : str or None
        ``.mdl`` path for a bare model.
    params : str
        JSON of the parameter overrides of a bare model (``{}`` for none).
    run_options : str
        JSON of ``integrator, dt, saveper, final_time`` for a bare model.
    model_sha256 : str or None
        sha256 of the model file the caller ran; workers refuse a different one.
    scenario_sha256 : str or None
        sha256 of the scenario file (and what it extends); workers refuse a different one.
    seed : int or None
        The scenario's own seed, the default seed of a study of it.
    """

    label: str
    scenario: str | None = None
    model_file: str | None = None
    params: str = "{}"
    run_options: str = "{}"
    model_sha256: str | None = field(default=None, compare=False)
    scenario_sha256: str | None = field(default=None, compare=False)
    seed: int | None = field(default=None, compare=False)

    @classmethod
    def for_model(
        cls, model_file=None, params: dict | None = None, *, label: str = "model", **run_options
    ) -> Setup:
        """The bare model with parameter overrides and run options.

        Parameters
        ----------
        model_file : path, optional
            Default ``renaissance.MODEL_FILE``.
        params : dict, optional
            Overrides in any form ``Model.run`` accepts that JSON can hold (numbers,
            dicts of element -> number).
        **run_options
            ``integrator``, ``dt``, ``saveper``, ``final_time``.
        """
        from renaissance.paths import MODEL_FILE

        allowed = {"integrator", "dt", "saveper", "final_time"}
        unknown = set(run_options) - allowed
        if unknown:
            raise ValueError(f"run options {sorted(unknown)} are not in {sorted(allowed)}")
        path = str(Path(model_file or MODEL_FILE).resolve())
        options = {k: v for k, v in run_options.items() if v is not None}
        setup = cls(
            label=label,
            model_file=path,
            params=json.dumps(params or {}, sort_keys=True),
            run_options=json.dumps(options, sort_keys=True),
        )
        return _with_sha(setup)

    @classmethod
    def for_scenario(cls, scenario: str | Path) -> Setup:
        """A scenario by name (in ``scenarios/``) or YAML path; a ``.mdl`` path gives the
        bare model with its own settings."""
        if str(scenario).lower().endswith(".mdl"):
            if not Path(scenario).is_file():
                raise FileNotFoundError(f"model file {scenario} does not exist")
            return cls.for_model(scenario, label=Path(scenario).stem)
        prepared = _prepared(str(scenario))
        label = getattr(prepared.scenario, "name", str(scenario))
        setup = cls(label=str(label), scenario=str(scenario))
        return _with_sha(setup)


def _with_sha(setup: Setup) -> Setup:
    model, _, _ = build(setup)
    scenario_sha256 = seed = None
    if setup.scenario is not None:
        scenario = _prepared(setup.scenario).scenario
        scenario_sha256, seed = scenario.sha256, scenario.seed
    return replace(setup, model_sha256=model.sha256, scenario_sha256=scenario_sha256, seed=seed)


@functools.lru_cache(maxsize=8)
def _prepared(scenario: str):
    from renaissance.scenarios import load_scenario, prepare_scenario

    return prepare_scenario(load_scenario(scenario))


@functools.lru_cache(maxsize=8)
def _model(model_file: str):
    from renaissance.engine import load_model

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # PySD's parser chatter
        return load_model(model_file)


def build(setup: Setup):
    """``(model, params, run_options)`` of a setup, cached per process.

    Raises
    ------
    ValueError
        The model file here differs from the caller's (sha256 mismatch).
    """
    prepared = None
    if setup.scenario is not None:
        prepared = _prepared(setup.scenario)
        model, params, options = prepared.model, dict(prepared.params), dict(prepared.run_options)
    else:
        model = _model(setup.model_file)
        params, options = json.loads(setup.params), json.loads(setup.run_options)
    if setup.scenario_sha256 is not None and (prepared.scenario.sha256 != setup.scenario_sha256):
        raise ValueError(
            f"{setup.label}: the scenario file here has sha256 "
            f"{prepared.scenario.sha256[:12]}…, not {setup.scenario_sha256[:12]}… as on the "
            "caller; every worker must run the same scenario"
        )
    if setup.model_sha256 is not None and model.sha256 != setup.model_sha256:
        raise ValueError(
            f"{setup.label}: the model file here ({model.path}) has sha256 "
            f"{model.sha256[:12]}…, not {setup.model_sha256[:12]}… as on the caller; "
            "every worker must run the same model"
        )
    return model, params, options


def check_outputs(setup: Setup, outputs: tuple[OutputSpec, ...]) -> None:
    """Refuse outputs reading a variable the model does not have (close matches given)."""
    import difflib

    from renaissance.engine.names import normalize

    model, _, _ = build(setup)
    names = {normalize(n): n for n in model.variable_names}
    for spec in outputs:
        if spec.variable is not None and normalize(spec.variable) not in names:
            if _looks_like_metric(spec.text):
                from renaissance.metrics import metric_names

                close = difflib.get_close_matches(spec.text, metric_names(), n=3, cutoff=0.5)
                hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
                raise ValueError(
                    f"output {spec.text!r} is not a metric{hint} (all metrics: "
                    "'renaissance list metrics')"
                )
            close = difflib.get_close_matches(spec.variable, list(names.values()), n=3)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            raise ValueError(
                f"output {spec.text!r}: {spec.variable!r} is not a variable of the model{hint}"
            )


def _looks_like_metric(text: str) -> bool:
    """A metric is spelt in lower case with underscores and no spaces (model variables are
    capitalised words), so a misspelling is answered with metrics, not variables."""
    return "_" in text and " " not in text and "@" not in text and text == text.lower()


def _engine_name(model, column: str) -> str:
    """``Name[Dim1,Dim2]`` (one value for every cell, as the parameter table writes a
    constant whose cells are equal) -> ``Name``; other columns unchanged."""
    if column.endswith("]") and "[" in column:
        name, inside = column[:-1].split("[", 1)
        ranges = model.plan.subscripts.ranges
        if all(part.strip() in ranges for part in inside.split(",")):
            return name.strip()
    return column


def run_chunk(
    setup: Setup,
    samples: pd.DataFrame,
    outputs: tuple[OutputSpec, ...],
    engine_chunk: int | None = None,
) -> xr.Dataset:
    """Integrate one chunk of samples as one ensemble and reduce it to the outputs.

    Parameters
    ----------
    setup : Setup
        What to run.
    samples : pandas.DataFrame, shape (E, D)
        One row per run; columns are parameter names.
    outputs : tuple of OutputSpec
        What to keep.
    engine_chunk : int, optional
        Members per vectorised pass of the engine, each reduced to the outputs before
        the next (default: the whole chunk in one pass).

    Returns
    -------
    xarray.Dataset
        One variable per output (dims ``member`` or ``member, time``), ``status``
        (0 ok, 1 failed; failed members' outputs are NaN); ``member`` numbered from 0.
    """
    step = int(engine_chunk or len(samples))
    if step < len(samples):
        # reduce each engine pass to its outputs before the next one, so that at most
        # one pass of full results is ever held
        parts = [
            run_chunk(setup, samples.iloc[start : start + step], outputs)
            for start in range(0, len(samples), step)
        ]
        return xr.concat(parts, dim="member").assign_coords(member=np.arange(len(samples)))
    model, params, options = build(setup)
    columns = variables_needed(outputs)
    renamed = samples.rename(columns={c: _engine_name(model, c) for c in samples.columns})
    renamed = renamed.reset_index(drop=True)
    if setup.scenario is not None:
        results = _prepared(setup.scenario).run_ensemble(
            renamed, chunk_size=len(renamed), return_columns=columns
        )
    else:
        results = model.run_ensemble(
            overlay_table(params, renamed),
            return_columns=columns,
            chunk_size=len(renamed),
            **options,
        )
    failed = results["status"].values.astype(bool)
    data = {}
    for spec in outputs:
        value = spec.compute(results).transpose("member", ...)
        if failed.any():
            value = value.where(~xr.DataArray(failed, dims="member"))
        data[spec.text] = value
    dataset = xr.Dataset(data)
    dataset["status"] = ("member", results["status"].values.astype(np.int8))
    return dataset.assign_coords(member=np.arange(len(samples)))


def _run_piece(setup: Setup, outputs: tuple[OutputSpec, ...], engine_chunk, piece):
    """One task: ``piece`` is ``(first run, samples)``; module level so it pickles."""
    first, samples = piece
    result = run_chunk(setup, samples, outputs, engine_chunk)
    return result.assign_coords(member=np.arange(first, first + len(samples)))


def evaluate(
    setup: Setup,
    samples,
    outputs,
    *,
    chunk_size: int = DEFAULT_CHUNK,
    scheduler=None,
    retries: int = 2,
    quiet: bool = False,
) -> xr.Dataset:
    """Run every sampled parameter set and collect the outputs.

    Parameters
    ----------
    setup : Setup
        The scenario (or bare model) to run.
    samples : SampleSet or pandas.DataFrame
        Parameter sets, one row per run.
    outputs : str, OutputSpec or sequence of them
        What to measure (see :mod:`renaissance.sensitivity.outputs`).
    chunk_size : int
        Runs per task (one vectorised ensemble each).
    scheduler : None, str or dask.distributed.Client
        Where chunks run (see :mod:`renaissance.sensitivity.executor`); results are
        the same for every scheduler.
    retries : int
        Extra attempts for a chunk that failed on a Dask worker.
    quiet : bool
        No progress on standard error.

    Returns
    -------
    xarray.Dataset
        One variable per output with dims ``member`` (length runs) or ``member, time``;
        ``status`` per member (0 ok, 1 failed, outputs NaN); attrs ``scenario``,
        ``failed_runs``, ``chunk_size``.
    """
    from renaissance.sensitivity.executor import Progress, map_chunks
    from renaissance.sensitivity.outputs import parse_outputs

    specs = tuple(s if isinstance(s, OutputSpec) else None for s in _as_list(outputs))
    if None in specs:
        specs = parse_outputs(
            [o.text if isinstance(o, OutputSpec) else o for o in _as_list(outputs)]
        )
    frame = samples.to_frame() if hasattr(samples, "to_frame") else pd.DataFrame(samples)
    if len(frame) == 0:
        raise ValueError("no samples to evaluate")
    if isinstance(chunk_size, bool) or int(chunk_size) < 1:
        raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    step = int(chunk_size)
    pieces = [
        (start, frame.iloc[start : start + step].reset_index(drop=True))
        for start in range(0, len(frame), step)
    ]
    progress = Progress(len(frame), label=f"sensitivity {setup.label}", quiet=quiet)
    # Without a list of the variables a metric reads, every variable is returned (about
    # 3.3 MB per run of the showcase baseline): keep each engine pass to 100 runs.
    engine_chunk = METRIC_PASS if variables_needed(specs) is None else None
    task = functools.partial(_run_piece, setup, specs, engine_chunk)
    parts = map_chunks(
        task,
        pieces,
        [len(p[1]) for p in pieces],
        scheduler=scheduler,
        retries=retries,
        progress=progress,
    )
    result = xr.concat(
        parts, dim="member", data_vars="all", coords="minimal", compat="override", join="override"
    )
    failed = int(result["status"].sum())
    result.attrs.update(
        scenario=setup.label,
        failed_runs=failed,
        chunk_size=step,
        model_sha256=setup.model_sha256 or "",
    )
    return result


def _as_list(value) -> list:
    if isinstance(value, (str, OutputSpec)):
        return [value]
    return list(value)


def evaluate_function(function, samples) -> xr.DataArray:
    """Evaluate a plain vectorised function on samples (for test functions).

    Parameters
    ----------
    function : callable
        ``function(values)`` with ``values`` of shape (runs, D) returning shape (runs,).
    samples : SampleSet

    Returns
    -------
    xarray.DataArray
        Dims ``(member,)``.
    """
    values = np.asarray(function(samples.values), dtype=float)
    if values.shape != (samples.runs,):
        raise ValueError(f"the function returned shape {values.shape}; expected ({samples.runs},)")
    return xr.DataArray(
        values, dims="member", coords={"member": np.arange(samples.runs)}, name="output"
    )
