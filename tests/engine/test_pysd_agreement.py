"""Euler at the same dt agrees with PySD to 1e-9 relative on every variable.

Two models: ``tests/engine/models/features.mdl`` (every construct the renaissance model
uses: GET DIRECT SUBSCRIPT/CONSTANTS, a range used as a value, SUM over membership
matrices, array literals, subscripted lookups, SMOOTH/SMOOTHI/SMOOTH3, DELAY1/DELAY3I,
INITIAL, STEP/RAMP/PULSE, VMIN/VMAX, ZIDZ/XIDZ, WITH LOOKUP) and ``models/renaissance.mdl``
itself, on both rosters and with every lever active. PySD is slow, so the horizon is cut
with ``final_time`` (the full horizon runs under the ``slow`` marker).
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest

from renaissance.engine import load_model
from renaissance.engine.results import to_table

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
RTOL = 1e-9
ATOL = 1e-12


def _pysd_table(model_file: Path, final_time: float | None, params: dict | None = None):
    import pysd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = pysd.read_vensim(str(model_file))
        return model.run(final_time=final_time, params=params or {})


def _assert_agree(model_file: Path, final_time: float | None, params: dict | None = None):
    reference = _pysd_table(model_file, final_time, params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ours = to_table(load_model(model_file).run(params=params, final_time=final_time))
    assert len(ours.columns) >= len(reference.columns) - 1  # PySD adds nothing we lack
    np.testing.assert_allclose(ours.index.to_numpy(), reference.index.to_numpy(), rtol=0)
    checked = 0
    for column in reference.columns:
        assert column in ours.columns, f"{column} missing from the fast engine's output"
        np.testing.assert_allclose(
            ours[column].to_numpy(),
            reference[column].to_numpy(dtype=float),
            rtol=RTOL,
            atol=ATOL,
            err_msg=column,
        )
        checked += 1
    assert checked == len(reference.columns)


@pytest.fixture
def features_model(tmp_path) -> Path:
    target = tmp_path / "features"
    shutil.copytree(HERE / "models", target)
    return target / "features.mdl"


def test_features_model_agrees_with_pysd(features_model):
    _assert_agree(features_model, final_time=2001)


def test_features_model_agrees_with_pysd_under_overrides(features_model):
    _assert_agree(features_model, final_time=1996, params={"Hiring Time": 3.5, "Shock Start": 1993})


@pytest.mark.slow
def test_features_model_full_horizon(features_model):
    _assert_agree(features_model, final_time=None)


def _renaissance_copy(tmp_path, roster: str = "showcase") -> Path:
    from renaissance.roster import model_for_roster

    return model_for_roster(roster, tmp_path / roster)


@pytest.mark.parametrize("roster", ["showcase", "national"])
def test_renaissance_model_agrees_with_pysd(tmp_path, roster):
    # PySD needs about a minute per decade on the 141-district national roster
    _assert_agree(
        _renaissance_copy(tmp_path, roster), final_time=2001 if roster == "showcase" else 1995
    )


def test_renaissance_model_agrees_with_pysd_with_policies_and_shocks(tmp_path):
    """Every lever and shock hook active early, so the 1991-2001 window exercises them."""
    import xarray as xr

    instruments = [
        "Vocational Training",
        "University Transfer",
        "Network Contracts",
        "Innovation Funds",
        "Internationalisation",
        "Startups and Spinoffs",
        "Identity and Heritage",
        "Reshoring Incentives",
        "MNE Anchoring",
        "Individual Firm Subsidies",
        "City High Tech Support",
    ]
    rules = xr.DataArray(
        np.tile([1.0, 2.0, 3.0], (len(instruments), 1)),
        coords={"Instrument": instruments, "Scale": ["Local", "Regional", "National"]},
        dims=["Instrument", "Scale"],
    )
    params = {
        "Policy Budget": 20,
        "Policy Start Year": 1993,
        "Policy Ramp Years": 1,
        "Policy Stop Go Cycle Years": 4,
        "Policy Capture Share": 0.2,
        "Policy Allocation Rule": rules,
        "MNE Collaboration Share": 0.3,
        "District Demand Shock Size": -0.2,
        "District Demand Shock Start": 1995,
        "Low Cost Shock Size": 0.5,
        "Low Cost Shock Start": 1996,
        "Confidence Shock Size": -0.5,
        "Confidence Shock Start": 1997,
        "World Demand Shock Size": -0.1,
        "World Demand Shock Start": 1998,
    }
    _assert_agree(_renaissance_copy(tmp_path), final_time=2001, params=params)


@pytest.mark.slow
@pytest.mark.parametrize("roster", ["showcase", "national"])
def test_renaissance_model_full_horizon(tmp_path, roster):
    _assert_agree(_renaissance_copy(tmp_path, roster), final_time=None)
