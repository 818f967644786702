"""A whole study in one call: sample, evaluate (one or two scenarios), analyse, band.

:func:`run_study` is what the ``renaissance sensitivity`` command and the notebooks
call; :func:`~renaissance.sensitivity.writing.write_study` writes its result.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import xarray as xr

from renaissance.sensitivity.analysis import analyze
from renaissance.sensitivity.bands import uncertainty_bands
from renaissance.sensitivity.evaluation import DEFAULT_CHUNK, Setup, check_outputs, evaluate
from renaissance.sensitivity.executor import check_scheduler, open_scheduler
from renaissance.sensitivity.outputs import OutputSpec, parse_outputs
from renaissance.sensitivity.problem import Problem, define_problem
from renaissance.sensitivity.robustness import Comparison, compare_outputs
from renaissance.sensitivity.sampling import DEFAULT_SEED, SampleSet, check_samples, sample


@dataclass
class StudyResult:
    """Everything a study produced.

    Attributes
    ----------
    setup : Setup
        The scenario analysed (A).
    samples : SampleSet
    outputs : xarray.Dataset
        Outputs of every run of A (dims ``member`` [, ``time``]) and ``status``.
    indices : xarray.Dataset or None
        Indices of the outputs with one value per run (dims ``output, parameter``).
    indices_over_time : xarray.Dataset or None
        Indices per saved year of the trajectory outputs.
    bands : xarray.Dataset
        Percentiles over the runs of every trajectory (asked for, or the trajectory of
        a variable behind an ``@YEAR`` output).
    comparison_setup : Setup or None
        Scenario B, when compared.
    comparison_outputs : xarray.Dataset or None
        Outputs of every run of B.
    comparisons : list of Comparison
        One per compared scenario and output (outputs with one value per run).
    other_setups : tuple of Setup
        Every compared scenario, ``comparison_setup`` first (``--compare A B …``).
    other_outputs : tuple of xarray.Dataset
        Their outputs, in the same order.
    seconds : float
        Wall-clock time of the evaluation and analysis.
    scheduler : str
        Where the runs ran.
    """

    setup: Setup
    samples: SampleSet
    outputs: xr.Dataset
    indices: xr.Dataset | None
    indices_over_time: xr.Dataset | None
    bands: xr.Dataset
    comparison_setup: Setup | None = None
    comparison_outputs: xr.Dataset | None = None
    comparisons: list[Comparison] = field(default_factory=list)
    seconds: float = 0.0
    scheduler: str = "in-process"
    other_setups: tuple = ()
    other_outputs: tuple = ()


def _trajectory_of(spec: OutputSpec) -> OutputSpec | None:
    if spec.metric is not None:
        return None
    if spec.over_time:
        return spec
    inner = spec.variable + (f"[{','.join(spec.elements)}]" if spec.elements else "")
    text = f"{spec.aggregate}({inner})" if spec.aggregate else inner
    return replace(spec, text=text, start=None, stop=None)


def _as_setup(scenario) -> Setup:
    if isinstance(scenario, Setup):
        return scenario
    return Setup.for_scenario(scenario)


def run_study(
    scenario,
    outputs,
    *,
    method: str = "sobol",
    samples: int = 256,
    parameters=None,
    problem: Problem | None = None,
    compare=None,
    better: str = "higher",
    seed: int | None = None,
    scheduler=None,
    chunk_size: int = DEFAULT_CHUNK,
    retries: int = 2,
    quiet: bool = False,
    second_order: bool = False,
) -> StudyResult:
    """Sample the plausible space, run one or two scenarios on it and analyse.

    Parameters
    ----------
    scenario : str, pathlib.Path or Setup
        Scenario name or YAML file (``renaissance.scenarios``), or a :class:`Setup`.
    outputs : str or sequence of str
        Output specifications or metric names
        (:mod:`renaissance.sensitivity.outputs`).
    method : {"sobol", "morris", "fast", "lhs"}
    samples : int
        N of the method (see :mod:`renaissance.sensitivity.sampling`).
    parameters : sequence of str, optional
        Names or patterns of the parameters to vary (default: every uncertain one).
    problem : Problem, optional
        A ready problem instead of ``parameters``.
    compare : str, pathlib.Path, Setup or a list of them, optional
        Scenario B (or several), run on the same samples; ``A - B`` is analysed for
        each.
    better : {"higher", "lower"}
        Direction in which the compared outputs are better.
    seed : int, optional
        Seed of the samples and of the bootstrap intervals; default the scenario's own
        ``seed``, else :data:`~renaissance.sensitivity.sampling.DEFAULT_SEED`.
    scheduler : None, str or dask.distributed.Client
        See :mod:`renaissance.sensitivity.executor`.
    chunk_size, retries, quiet
        See :func:`~renaissance.sensitivity.evaluate`.
    second_order : bool
        Sobol: also second-order indices.

    Returns
    -------
    StudyResult
    """
    check_scheduler(scheduler)
    check_samples(method, samples, analysed=True)
    specs = parse_outputs(outputs)
    setup = _as_setup(scenario)
    if compare is None:
        others = []
    elif isinstance(compare, list | tuple):
        others = [_as_setup(each) for each in compare]
    else:
        others = [_as_setup(compare)]
    for each in (setup, *others):
        check_outputs(each, specs)
    if problem is None:
        problem = define_problem(parameters)
    elif parameters is not None:
        raise ValueError("give parameters or problem, not both")
    if seed is None:
        seed = setup.seed if setup.seed is not None else DEFAULT_SEED
    sample_set = sample(problem, method, samples, seed, second_order=second_order)
    trajectories = []
    for spec in specs:
        extra = _trajectory_of(spec)
        if extra is not None and extra.text not in {s.text for s in (*specs, *trajectories)}:
            trajectories.append(extra)
    evaluated = (*specs, *trajectories)
    started = time.perf_counter()
    with open_scheduler(scheduler) as where:
        options = {"chunk_size": chunk_size, "scheduler": where, "retries": retries, "quiet": quiet}
        values = evaluate(setup, sample_set, evaluated, **options)
        all_other_values = [evaluate(each, sample_set, specs, **options) for each in others]
    scalar = [s.text for s in specs if not s.over_time]
    over_time = [s.text for s in specs if s.over_time]
    indices = analyze(sample_set, values[scalar]) if scalar else None
    indices_over_time = analyze(sample_set, values[over_time]) if over_time else None
    bands = uncertainty_bands(values[[s.text for s in evaluated if s.over_time]])
    comparisons = []
    for other, other_values in zip(others, all_other_values, strict=True):
        for name in scalar:
            comparisons.append(
                compare_outputs(
                    sample_set,
                    values[name],
                    other_values[name],
                    first_label=setup.label,
                    second_label=other.label,
                    better=better,
                )
            )
    return StudyResult(
        setup=setup,
        samples=sample_set,
        outputs=values,
        indices=indices,
        indices_over_time=indices_over_time,
        bands=bands,
        comparison_setup=others[0] if others else None,
        comparison_outputs=all_other_values[0] if others else None,
        comparisons=comparisons,
        seconds=time.perf_counter() - started,
        scheduler=scheduler
        if isinstance(scheduler, str)
        else ("in-process" if scheduler is None else "client"),
        other_setups=tuple(others),
        other_outputs=tuple(all_other_values),
    )
