"""Ensemble evaluation of the model equals single runs; chunking changes nothing."""

import warnings

import numpy as np
import pytest
import xarray as xr
from sensitivity_reference import SHORT_HORIZON

from renaissance.sensitivity import analyze, evaluate, sample
from renaissance.sensitivity.evaluation import build

OUTPUTS = [
    "National Manufacturing Employment@1996",
    "sum(District Exports)@1992:1996",
    "District Manufacturing Employment[Prato]",
]


@pytest.fixture(scope="module")
def drawn(small_problem):
    return sample(small_problem, "lhs", 48, seed=7)


@pytest.fixture(scope="module")
def evaluated(short_setup, drawn):
    return evaluate(short_setup, drawn, OUTPUTS, chunk_size=20, quiet=True)


def test_ensemble_equals_a_loop_of_single_runs(short_setup, drawn, evaluated):
    model, _, options = build(short_setup)
    frame = drawn.to_frame()
    for member in (0, 17, 47):
        params = {}
        for column, value in frame.iloc[member].items():
            name, _, cell = column.rstrip("]").partition("[")
            if cell:
                params.setdefault(name, {})[cell] = float(value)
            else:
                params[name] = float(value)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            single = model.run(params=params, **options)
        expected = [
            single["National Manufacturing Employment"].sel(time=SHORT_HORIZON),
            single["District Exports"].sum("District").sel(time=1996)
            - single["District Exports"].sum("District").sel(time=1992),
        ]
        for name, value in zip(OUTPUTS[:2], expected, strict=True):
            np.testing.assert_allclose(evaluated[name].sel(member=member), value, rtol=1e-12)
        np.testing.assert_allclose(
            evaluated[OUTPUTS[2]].sel(member=member),
            single["District Manufacturing Employment"].sel(District="Prato"),
            rtol=1e-12,
        )


def test_chunk_size_does_not_change_results(short_setup, drawn, evaluated):
    whole = evaluate(short_setup, drawn, OUTPUTS, chunk_size=1000, quiet=True)
    xr.testing.assert_identical(whole.drop_attrs(), evaluated.drop_attrs())


def test_outputs_vary_and_no_run_failed(evaluated):
    assert evaluated.attrs["failed_runs"] == 0
    assert evaluated["National Manufacturing Employment@1996"].std() > 0


def test_indices_of_model_outputs_and_over_time(drawn, evaluated):
    at_year = analyze(drawn, evaluated[OUTPUTS[:2]])
    assert at_year["S1"].dims == ("output", "parameter")
    assert list(at_year["parameter"].values) == list(drawn.problem.names)
    over_time = analyze(drawn, evaluated[[OUTPUTS[2]]])
    assert over_time["S1"].dims == ("output", "parameter", "time")
    assert over_time.sizes["time"] == 6


def test_mixing_outputs_at_a_year_and_over_time_is_refused(drawn, evaluated):
    with pytest.raises(ValueError, match="analyse them separately"):
        analyze(drawn, evaluated)


def test_progress_is_shown_unless_quiet(short_setup, drawn, capsys):
    evaluate(short_setup, drawn, OUTPUTS[:1], chunk_size=24)
    shown = capsys.readouterr().err
    assert "24/48 runs" in shown and "48/48 runs (100%)" in shown
    evaluate(short_setup, drawn, OUTPUTS[:1], chunk_size=24, quiet=True)
    assert capsys.readouterr().err == ""


def test_failed_sobol_runs_drop_their_whole_block():
    from renaissance.sensitivity import Problem, evaluate_function

    problem = Problem.from_bounds({"a": (0.0, 1.0), "b": (0.0, 1.0)})
    drawn = sample(problem, "sobol", 64, seed=2)
    values = evaluate_function(lambda x: x[:, 0] + 0.1 * x[:, 1], drawn).values.copy()
    values[5] = np.nan  # run 5 is in the second block of D + 2 = 4 runs
    indices = analyze(drawn, xr.DataArray(values, dims="member", name="y"))
    assert int(indices["runs_used"].sel(output="y")) == 64 * 4 - 4
    assert np.isfinite(indices["S1"]).all()


def test_metric_outputs_equal_the_metrics_of_the_runs(short_setup, small_problem):
    from renaissance.metrics import compute_metric, metric_names
    from renaissance.sensitivity.evaluation import run_chunk
    from renaissance.sensitivity.outputs import parse_outputs

    name = "nation_employment_change_2025_2035"
    assert name in metric_names()
    setup = short_setup.__class__.for_model(final_time=2036, dt=0.5)
    drawn = sample(small_problem, "lhs", 6, seed=9)
    specs = parse_outputs([name, "National Manufacturing Employment@2035"])
    in_passes = run_chunk(setup, drawn.to_frame(), specs, engine_chunk=4)  # passes: 4 + 2
    model, _, options = build(setup)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = model.run_ensemble(drawn.to_frame(), **options)
    np.testing.assert_allclose(in_passes[name], compute_metric(whole, name), rtol=1e-12)
    np.testing.assert_allclose(
        in_passes["National Manufacturing Employment@2035"],
        whole["National Manufacturing Employment"].sel(time=2035),
        rtol=1e-12,
    )


def test_a_worker_with_another_model_file_refuses_to_run(short_setup):
    from dataclasses import replace

    other = replace(short_setup, model_sha256="0" * 64)
    with pytest.raises(ValueError, match=r"has sha256 .* not 000000000000… as on the caller"):
        build(other)
