"""The model file: loads in PySD, units are consistent, parameters documented."""

import shutil
import warnings

import numpy as np
import pandas as pd
import pysd
import pytest

from renaissance.model_file import abstract_elements
from renaissance.parameters import parameter_table
from renaissance.paths import MODEL_DIRECTORY, MODEL_FILE
from renaissance.units import check_units, parse_units

REPORTING = {
    "National Manufacturing Employment": ("person", ()),
    "Total District Manufacturing Employment": ("person", ()),
    "District Manufacturing Employment": ("person", ("District",)),
    "Total District Exports": ("M€/year", ()),
    "District Exports": ("M€/year", ("District",)),
    "National Manufacturing Exports": ("M€/year", ()),
    "Total Manufacturing Firms": ("firm", ()),
    "Total Firm Exits": ("firm/year", ()),
    "District Value Added": ("M€/year", ("District",)),
    "Composite Capital Index": ("Dmnl", ("District",)),
    "Public Policy Spending": ("M€/year", ()),
}


@pytest.fixture(scope="module")
def pysd_run(tmp_path_factory, stock_names):
    """A full 1991-2050 PySD run of a copy of the model (PySD writes a .py beside the .mdl)."""
    directory = tmp_path_factory.mktemp("pysd") / "models"
    shutil.copytree(MODEL_DIRECTORY, directory, ignore=shutil.ignore_patterns("*.py"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = pysd.read_vensim(str(directory / "renaissance.mdl"))
    translation_warnings = [str(w.message) for w in caught]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = model.run(return_columns=stock_names, final_time=2050)
    return translation_warnings, result


def test_pysd_translates_without_unsupported_function_warnings(pysd_run):
    translation_warnings, _ = pysd_run
    suspicious = [
        w
        for w in translation_warnings
        if any(
            word in w.lower()
            for word in ("not implemented", "unsupported", "not supported", "a_function_of")
        )
    ]
    assert suspicious == []


def test_pysd_runs_1991_to_2050_with_finite_non_negative_stocks(pysd_run):
    _, result = pysd_run
    assert result.index[0] == 1991 and result.index[-1] == 2050
    assert np.isfinite(result.to_numpy()).all()
    assert result.to_numpy().min() >= 0


def test_fast_engine_stocks_finite_and_non_negative(
    baseline, stock_names, assert_finite_non_negative
):
    assert_finite_non_negative(baseline, stock_names)


@pytest.mark.parametrize("name", sorted(REPORTING))
def test_reporting_variable_exists_with_units_and_dims(baseline, name):
    units, dims = REPORTING[name]
    variable = baseline[name]
    assert tuple(d for d in variable.dims if d != "time") == dims
    assert parse_units(variable.attrs["units"]) == parse_units(units)


def test_every_variable_has_units_and_a_comment():
    missing = [
        element.name
        for element in abstract_elements(MODEL_FILE)
        if not element.units.strip() or not element.documentation.strip()
    ]
    assert missing == []


def test_units_of_every_equation_agree_and_flows_are_stock_per_year():
    assert check_units(MODEL_FILE) == []


def test_units_checker_catches_a_flow_with_stock_units(tmp_path):
    text = MODEL_FILE.read_text(encoding="utf-8")
    hiring = (
        "Manufacturing Hiring[District] = MAX(0, Desired Manufacturing Employment[District]"
        " - District Manufacturing Employment[District]) / Hiring Adjustment Time\n\t~\t"
    )
    broken = text.replace(hiring + "person/year", hiring + "person", 1)
    assert broken != text
    shutil.copytree(MODEL_DIRECTORY, tmp_path / "models", ignore=shutil.ignore_patterns("*.py"))
    (tmp_path / "models" / "renaissance.mdl").write_text(broken, encoding="utf-8")
    issues = check_units(tmp_path / "models" / "renaissance.mdl")
    assert {issue.variable for issue in issues} >= {
        "Manufacturing Hiring",
        "District Manufacturing Employment",
    }


def test_parameter_csv_is_generated_from_the_model():
    shipped = pd.read_csv(MODEL_DIRECTORY / "parameters.csv")
    fresh = parameter_table(MODEL_FILE)
    pd.testing.assert_frame_equal(
        shipped.reset_index(drop=True), fresh.reset_index(drop=True), check_dtype=False, rtol=1e-9
    )


def test_every_parameter_has_a_source_and_a_default_inside_its_range():
    table = parameter_table(MODEL_FILE)
    assert (table["source"].str.len() > 0).all()
    ranged = table.dropna(subset=["low", "high"])
    outside = ranged[(ranged["default"] < ranged["low"]) | (ranged["default"] > ranged["high"])]
    assert outside.empty, outside[["name", "default", "low", "high"]]
    assert len(ranged) >= 100
