"""Small hand-made results Datasets with the model's reporting variables.

Every path is a simple formula, so tests can compute the expected metric by hand. The
layout mirrors the engine's output: dims ``scenario``, ``time``, ``District``, ``Region``.
"""

import numpy as np
import xarray as xr

DISTRICTS = ["Alpha", "Beta", "Gamma"]
REGIONS = ["North", "South"]
MEMBERSHIP = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])  # Alpha, Beta North; Gamma South
INITIAL_EMPLOYMENT = np.array([1000.0, 3000.0, 6000.0])
YEARS = np.arange(2020.0, 2051.0)


def _full(value, scenarios, dims=("scenario", "time")):
    sizes = {"scenario": len(scenarios), "time": len(YEARS), "District": 3, "Region": 2}
    return np.full([sizes[dim] for dim in dims], value, dtype=float)


def make_results(scenarios=("baseline", "policy"), growth=(0.0, 0.01)):
    """A comparison whose district employment grows linearly at ``growth`` per year.

    Parameters
    ----------
    scenarios : sequence of str
    growth : sequence of float
        Per scenario: district employment is ``initial × (1 + growth × (t − 2020))``.

    Returns
    -------
    xarray.Dataset
        Scalar national variables, per-district and per-region variables with units.
    """
    scenarios = list(scenarios)
    elapsed = YEARS - YEARS[0]
    factor = 1.0 + np.asarray(growth, dtype=float)[:, None] * elapsed[None, :]  # scenario, time
    district_dims = ("scenario", "time", "District")
    employment = factor[:, :, None] * INITIAL_EMPLOYMENT[None, None, :]
    exports = 0.1 * employment  # M€/year
    value_added = 0.05 * employment
    capital = np.broadcast_to(np.array([1.0, 0.8, 0.5]), employment.shape) * factor[:, :, None]
    region = np.einsum("std,dr->str", employment, MEMBERSHIP)
    region_exports = np.einsum("std,dr->str", exports, MEMBERSHIP)
    non_district_employment = 90000.0
    spending = np.zeros((len(scenarios), len(YEARS)))
    spending[1:, YEARS >= 2026] = 10.0  # M€/year from 2026 in every non-baseline scenario

    def district(values, units):
        return (district_dims, np.array(values, dtype=float), {"units": units})

    def national(values, units):
        return (("scenario", "time"), np.array(values, dtype=float), {"units": units})

    variables = {
        "District Manufacturing Employment": district(employment, "person"),
        "District Exports": district(exports, "M€/year"),
        "District Value Added": district(value_added, "M€/year"),
        "Composite Capital Index": district(capital, "Dmnl"),
        "Region Membership": (
            (*district_dims, "Region"),
            np.broadcast_to(MEMBERSHIP, (len(scenarios), len(YEARS), 3, 2)).copy(),
            {"units": "Dmnl"},
        ),
        "Regional District Employment": (("scenario", "time", "Region"), region, {}),
        "Regional District Exports": (("scenario", "time", "Region"), region_exports, {}),
        "Total District Manufacturing Employment": national(employment.sum(-1), "person"),
        "Total District Exports": national(exports.sum(-1), "M€/year"),
        "National Manufacturing Employment": national(
            employment.sum(-1) + non_district_employment, "person"
        ),
        "National Manufacturing Exports": national(exports.sum(-1) + 9000.0, "M€/year"),
        "Non District Value Added": national(_full(4500.0, scenarios), "M€/year"),
        "National Composite Capital Index": national(factor, "Dmnl"),
        "Public Policy Spending": national(spending, "M€/year"),
        "Small Firms": district(_full(100.0, scenarios, district_dims), "firm"),
        "Medium Large Firms": district(_full(10.0, scenarios, district_dims), "firm"),
        "Multinational Affiliates": district(_full(0.0, scenarios, district_dims), "firm"),
        "Total District Firms": district(_full(110.0, scenarios, district_dims), "firm"),
        "Functional Upgrading Share": district(_full(0.15, scenarios, district_dims), "Dmnl"),
        "Offshored Share": district(_full(0.03, scenarios, district_dims), "Dmnl"),
        "World Demand Shock Size": national(_full(0.0, scenarios), "Dmnl"),
        "World Demand Shock Start": national(_full(2030.0, scenarios), "year"),
        "District Demand Shock Size": district(_full(0.0, scenarios, district_dims), "Dmnl"),
        "District Demand Shock Start": national(_full(2030.0, scenarios), "year"),
    }
    return xr.Dataset(
        variables,
        coords={"scenario": scenarios, "time": YEARS, "District": DISTRICTS, "Region": REGIONS},
        attrs={"model_sha256": "0" * 64, "renaissance_version": "test", "engine": "none"},
    )


def set_firm_paths(results, district, small, leading, employment=None, start=2025, end=2040):
    """Give one district linear paths of firms (and employment) between two years.

    ``small`` and ``leading`` are ratios end / start; leading firms are split equally
    between medium-large firms and multinational affiliates; ``Total District Firms`` is
    their sum. Values are the same in every scenario.
    """
    results = results.copy(deep=True)
    times = results["time"].values
    share = np.clip((times - start) / (end - start), 0.0, 1.0)

    def path(ratio):
        return 1.0 + (ratio - 1.0) * share

    small_path = 100.0 * path(small)
    leading_path = 10.0 * path(leading)
    selection = {"District": district}
    results["Small Firms"].loc[selection] = small_path
    results["Medium Large Firms"].loc[selection] = leading_path / 2
    results["Multinational Affiliates"].loc[selection] = leading_path / 2
    results["Total District Firms"].loc[selection] = small_path + leading_path
    if employment is not None:
        values = results["District Manufacturing Employment"].sel(District=district, time=start)
        results["District Manufacturing Employment"].loc[selection] = (
            values.values[:, None] * path(employment)[None, :]
        )
    return results
