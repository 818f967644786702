"""Honest statistics (issue 15): warnings when a sample is too small for the indices
shown, indices not distinguishable from zero marked, years printed as integers."""

import numpy as np
import xarray as xr

from renaissance.sensitivity.honesty import index_warnings, indistinguishable
from renaissance.sensitivity.summary import _index_table, _number


def indices(s1, s1_conf):
    parameters = [f"p{i}" for i in range(len(s1))]
    return xr.Dataset(
        {
            "S1": (("output", "parameter"), [s1]),
            "S1_conf": (("output", "parameter"), [s1_conf]),
        },
        coords={"output": ["y@2040"], "parameter": parameters},
    )


def test_first_order_index_above_one_is_warned_with_the_sample_size():
    found = index_warnings(indices([1.03, 0.2], [0.1, 0.05]), samples=64, method="sobol")
    assert any("S1 > 1 for p0 at N = 64" in text for text in found)


def test_indices_inside_their_interval_are_counted_and_marked():
    data = indices([0.5, 0.05, -0.02], [0.1, 0.08, 0.03])
    found = index_warnings(data, samples=128)
    assert any("2 of 3 S1 indices are not distinguishable from zero" in t for t in found)
    table = _index_table(data, "y@2040")
    assert table.count("≈0") == 2
    assert indistinguishable(0.05, 0.08) and not indistinguishable(0.5, 0.1)


def test_clear_indices_give_no_warning():
    assert index_warnings(indices([0.6, 0.3], [0.05, 0.04]), samples=4096) == []


def test_years_are_printed_as_integers_not_in_e_notation():
    assert _number(2026.0) == "2026"
    assert _number(np.float64(2040.0)) == "2040"
    assert _number(0.1234) == "0.123"
    assert "e+" not in _number(1234.5)
