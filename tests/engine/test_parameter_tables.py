"""Sampled columns laid over fixed parameter values (scenarios and sensitivity share it)."""

import pandas as pd
import pytest

from renaissance.engine.params import from_table, overlay_table, split_cell


def test_overlay_table_puts_columns_over_fixed_values():
    assert split_cell(" Growth [ a , b ] ") == ("Growth", "a,b")
    assert split_cell("Growth") == ("Growth", None)
    fixed = {"Rate": 2.0, "Growth": {"a,b": 1.0, "c,d": 3.0}}
    table = pd.DataFrame({"Growth[a, b]": [5.0, 6.0], "Other": [7.0, 8.0]})
    merged = overlay_table(fixed, table)
    assert merged["Rate"] == 2.0
    assert merged["Growth"]["c,d"] == 3.0
    assert merged["Growth"]["a,b"].tolist() == [5.0, 6.0]
    assert merged["Other"].tolist() == [7.0, 8.0]
    assert fixed["Growth"] == {"a,b": 1.0, "c,d": 3.0}  # the fixed values are not changed
    assert set(from_table(table)) == {"Growth", "Other"}
    with pytest.raises(ValueError, match="already set as a whole"):
        overlay_table({"Growth": 1.0}, table)
