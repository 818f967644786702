"""Uncertainty bands: percentiles over members, failed runs ignored; fan charts."""

import matplotlib
import numpy as np
import pytest
import xarray as xr

from renaissance.sensitivity.bands import uncertainty_bands

matplotlib.use("Agg", force=True)

VALUES = xr.DataArray(
    np.arange(101.0)[:, None] * np.array([1.0, 2.0]),
    dims=("member", "time"),
    coords={"time": [2030.0, 2040.0]},
    name="Jobs",
    attrs={"units": "person"},
)


def test_percentiles_of_a_known_ensemble():
    bands = uncertainty_bands(VALUES, percentiles=(5, 50, 95))
    assert bands.dims == ("percentile", "time") and bands.attrs["units"] == "person"
    np.testing.assert_allclose(bands.sel(time=2030), [5, 50, 95])
    np.testing.assert_allclose(bands.sel(time=2040), [10, 100, 190])
    assert bands.attrs["members"] == 101


def test_failed_runs_are_ignored():
    with_failure = VALUES.copy()
    with_failure[100] = np.nan  # the largest run failed
    bands = uncertainty_bands(with_failure, percentiles=(100,))
    np.testing.assert_allclose(bands.sel(percentile=100), [99, 198])
    assert bands.attrs["members"] == 100


@pytest.mark.parametrize("levels", [(), (-1, 50), (50, 101)])
def test_bad_percentiles_are_refused(levels):
    with pytest.raises(ValueError, match="percentiles must be numbers in"):
        uncertainty_bands(VALUES, levels)


def test_fan_chart_draws_nested_bands_and_the_median():
    import matplotlib.pyplot as plt

    from renaissance.sensitivity.plots import plot_fan_chart

    figure = plot_fan_chart(uncertainty_bands(VALUES))
    labels = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert labels == ["5-95th percentile", "25-75th percentile", "median"]
    plt.close(figure)
