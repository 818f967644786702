"""The calibrated history against the published series of ``models/history/series.csv``.

Each comparison maps one row of the shipped table (a change over a period, a growth
rate, a sign) to the same quantity of a simulated history, for every ensemble member,
and reports the band (5th, 50th, 95th percentile) against the observed value. Rows whose
price basis or perimeter has no counterpart in the model (nominal levels, part-year
growth, all-sector firm demography) are listed in :data:`NOT_COMPARED` with the reason,
so that every shipped row is either compared or explained.

The years after 2008 are the test of the model: nothing here feeds the calibration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from renaissance.calibration.history_series import load_history_series

VARIABLES = (
    "National Manufacturing Employment",
    "District Value Added",
    "Non District Value Added",
    "Total Manufacturing Firms",
    "Total District Exports",
    "Non District Exports",
)
"""Model variables the comparisons read."""


def _members(values: xr.DataArray) -> np.ndarray:
    if "member" not in values.dims:
        values = values.expand_dims(member=1)
    return values.transpose("member", ...).values.reshape(values.sizes["member"], -1)[:, 0]


def _at(data: xr.Dataset, name: str, year: int) -> np.ndarray:
    return _members(data[name].sel(time=year))


def _value_added(data: xr.Dataset, year: int) -> np.ndarray:
    district = data["District Value Added"].sel(time=year).sum("District")
    return _members(district + data["Non District Value Added"].sel(time=year))


def _level_change(name):
    return lambda data, start, stop: _at(data, name, stop) - _at(data, name, start)


def _relative(level: Callable) -> Callable:
    return lambda data, start, stop: level(data, stop) / level(data, start) - 1


def _relative_of(name):
    return _relative(lambda data, year: _at(data, name, year))


def _growth_gap(data, start, stop):
    """District export growth minus non-district export growth over start..stop."""
    districts = _relative_of("Total District Exports")(data, start, stop)
    others = _relative_of("Non District Exports")(data, start, stop)
    return districts - others


@dataclass(frozen=True)
class Comparison:
    """One shipped row and the model quantity compared with it.

    Attributes
    ----------
    series, period, scope : str
        Identify the row of ``series.csv`` (``period`` as in its ``year`` column).
    quantity : str
        The model counterpart, in words (with any difference of definition).
    compute : callable
        ``compute(dataset, start, stop) -> numpy.ndarray`` of shape (member,).
    kind : {"value", "sign"}
        Compare the value, or only its sign.
    """

    series: str
    period: str
    scope: str
    quantity: str
    compute: Callable
    kind: str = "value"


COMPARISONS = (
    Comparison(
        "manufacturing_employment_census_change",
        "2001-2011",
        "Italy",
        "change of National Manufacturing Employment 2001-2011 (persons)",
        _level_change("National Manufacturing Employment"),
    ),
    Comparison(
        "manufacturing_employment_change",
        "2007-2018",
        "Italy",
        "change of National Manufacturing Employment 2007-2018 (persons)",
        _level_change("National Manufacturing Employment"),
    ),
    Comparison(
        "manufacturing_value_added_real_change",
        "2007-2022",
        "Italy",
        "relative change of district plus non-district value added (constant prices)",
        _relative(_value_added),
    ),
    Comparison(
        "manufacturing_value_added_change",
        "2008-2013",
        "Italy",
        "relative change of value added at constant prices (the source states no price basis)",
        _relative(_value_added),
    ),
    Comparison(
        "manufacturing_output_change",
        "2000-2013",
        "Italy",
        "relative change of value added at constant prices (the source: production volume)",
        _relative(_value_added),
    ),
    Comparison(
        "industrial_production_growth",
        "2009",
        "Italy",
        "relative change of manufacturing value added 2008-2009 (the source: all industry, "
        "energy included)",
        _relative(_value_added),
    ),
    Comparison(
        "manufacturing_enterprises_change_relative",
        "2009-2016",
        "Italy",
        "relative change of Total Manufacturing Firms 2009-2016",
        _relative_of("Total Manufacturing Firms"),
    ),
    Comparison(
        "district_exports_change_nominal",
        "2008-2009",
        "Italy districts (Intesa perimeter)",
        "sign of the change of Total District Exports 2008-2009 (constant prices; the "
        "source is nominal)",
        _relative_of("Total District Exports"),
        "sign",
    ),
    Comparison(
        "district_exports_change_nominal",
        "2009-2019",
        "Italy districts (Intesa perimeter)",
        "sign of the change of Total District Exports 2009-2019 (constant prices; the "
        "source is nominal)",
        _relative_of("Total District Exports"),
        "sign",
    ),
)
"""Rows of ``series.csv`` with a model counterpart."""

NOT_COMPARED = {
    "district_exports_nominal": "a nominal level on Intesa's perimeter (about 100-159 "
    "districts); the model's exports are at constant prices on the ISTAT roster",
    "district_exports_growth": "nominal yearly growth; the model has no export prices",
    "district_exports_change_relative": "nominal change 2019-2022, years of high export "
    "price inflation; no deflator in models/history",
    "district_exports_growth_jan_sep": "part-year nominal growth",
    "district_exports_growth_first_half": "part-year nominal growth",
    "district_exports_nominal_jan_sep": "part-year nominal level",
    "district_exports_nominal_first_half": "part-year nominal level",
    "non_district_exports_growth_jan_sep": "part-year nominal growth (compared as a pair "
    "with districts' in docs/validation.md, not here: part-year)",
    "district_count_istat": "an input of the roster (F01, F02, F04)",
    "district_manufacturing_employment_census": "the 2001 level is calibration target F03",
    "district_mean_employment_census": "district sizes are inputs of the roster",
    "district_share_of_manufacturing_sll_employment": "no local labour systems in the model",
    "district_share_of_total_employment_census": "no total employment in the model",
    "district_share_of_population": "no population in the model",
    "manufacturing_employment_census_change_relative": "calibration target H01",
    "manufacturing_employment_share_of_total": "no total employment in the model",
    "industry_excl_construction_value_added_share_gdp": "no GDP in the model (only as an "
    "input index)",
    "manufacturing_exports_nominal": "nominal level",
    "manufacturing_exports_growth": "nominal growth",
    "goods_exports_nominal": "all goods, nominal",
    "goods_exports_growth": "all goods, nominal",
    "goods_exports_change_relative": "all goods, nominal",
    "manufacturing_enterprises_change": "compared in relative terms "
    "(manufacturing_enterprises_change_relative)",
    "enterprise_birth_rate_all_sectors": "all sectors",
    "enterprise_birth_rate_employer_firms": "all sectors",
    "enterprise_death_rate_all_sectors": "all sectors",
    "enterprise_death_rate_employer_firms": "all sectors",
    "enterprise_births_all_sectors_cumulated": "all sectors",
    "enterprise_deaths_all_sectors_cumulated": "all sectors",
    "registered_enterprises_all_sectors": "all sectors, business register",
    "enterprise_registrations_all_sectors": "all sectors, business register",
    "enterprise_cessations_all_sectors": "all sectors, business register",
    "manufacturing_employees": "regional series (Liguria) outside the rosters' perimeter",
    "industry_excl_construction_labour_units": "regional series (Basilicata) outside the "
    "rosters' perimeter",
}
"""Series of ``series.csv`` not compared, with the reason."""


def _years(period: str) -> tuple[int, int]:
    if "-" in period:
        start, stop = period.split("-")
        return int(start), int(stop)
    return int(period) - 1, int(period)


def series_table(data: xr.Dataset, path=None) -> pd.DataFrame:
    """Observed value and simulated band of every comparison.

    Parameters
    ----------
    data : xarray.Dataset
        A history run (with or without a ``member`` dimension) holding :data:`VARIABLES`,
        to at least the last year compared (2022).
    path : path, optional
        ``series.csv`` (default: the shipped table).

    Returns
    -------
    pandas.DataFrame
        One row per comparison: ``series``, ``period``, ``scope``, ``observed``, ``unit``,
        ``use``, ``quantity``, ``kind``, ``p05``, ``median``, ``p95``, ``inside`` (the
        observed value inside the simulated 5-95% band; for a sign, the share of members
        with the observed sign at least one half), ``share_right_sign``, ``source``,
        ``address``.
    """
    table = load_history_series(path)
    rows = []
    for comparison in COMPARISONS:
        match = table[
            (table["series"] == comparison.series)
            & (table["year"].astype(str) == comparison.period)
            & (table["scope"] == comparison.scope)
        ]
        if match.empty:
            raise ValueError(
                f"series.csv has no row {comparison.series} {comparison.period} "
                f"{comparison.scope!r} (the comparison table is out of date)"
            )
        row = match.iloc[0]
        start, stop = _years(comparison.period)
        simulated = np.asarray(comparison.compute(data, start, stop), dtype=float)
        p05, median, p95 = np.quantile(simulated, [0.05, 0.5, 0.95])
        observed = float(row["value"])
        right_sign = float(np.mean(np.sign(simulated) == np.sign(observed)))
        inside = right_sign >= 0.5 if comparison.kind == "sign" else p05 <= observed <= p95
        rows.append(
            {
                "series": comparison.series,
                "period": comparison.period,
                "scope": comparison.scope,
                "observed": observed,
                "unit": row["unit"],
                "use": row["use"],
                "quantity": comparison.quantity,
                "kind": comparison.kind,
                "p05": p05,
                "median": median,
                "p95": p95,
                "inside": bool(inside),
                "share_right_sign": right_sign,
                "source": row["source"],
                "address": row["address"],
            }
        )
    return pd.DataFrame(rows)


def unexplained_series(path=None) -> list[str]:
    """Series of the shipped table neither compared nor listed in :data:`NOT_COMPARED`."""
    names = set(load_history_series(path)["series"])
    compared = {comparison.series for comparison in COMPARISONS}
    return sorted(names - compared - set(NOT_COMPARED))


def ensemble_history(accepted: pd.DataFrame, scenario: str = "history") -> xr.Dataset:
    """Run ``scenario`` for every accepted parameter set (``member``/``distance`` dropped)."""
    from renaissance.scenarios import load_scenario, prepare_scenario

    samples = accepted.drop(columns=[c for c in ("member", "distance") if c in accepted])
    prepared = prepare_scenario(load_scenario(scenario))
    return prepared.run_ensemble(samples.reset_index(drop=True), return_columns=list(VARIABLES))


def plot_series(table: pd.DataFrame, path) -> None:
    """One panel per comparison: the simulated 5-95% band and median, and the observation."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    count = len(table)
    columns = 3
    rows = -(-count // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(12, 2.6 * rows), squeeze=False)
    for axis, (_, row) in zip(axes.flat, table.iterrows(), strict=False):
        scale = 1e6 if "persons" in str(row["unit"]) else 1.0
        axis.errorbar(
            [0],
            [row["median"] / scale],
            yerr=[[(row["median"] - row["p05"]) / scale], [(row["p95"] - row["median"]) / scale]],
            fmt="o",
            color="C0",
            capsize=6,
            label="model, median and 5-95%",
        )
        if row["kind"] == "sign":  # the source's level is nominal: only its sign compares
            word = "rise" if row["observed"] > 0 else "fall"
            axis.annotate(
                f"published: {word}\n(nominal; sign only)",
                (0.25, 0),
                fontsize=7,
                color="C3",
                ha="center",
                va="bottom" if row["observed"] > 0 else "top",
            )
        else:
            axis.plot([0.25], [row["observed"] / scale], "D", color="C3", label="published")
        axis.axhline(0, color="grey", lw=0.5)
        axis.set_xlim(-0.5, 0.75)
        axis.set_xticks([])
        unit = "million persons" if scale == 1e6 else str(row["unit"])
        if row["kind"] == "sign":
            unit = "model: relative change"
        axis.set_title(f"{row['series']}\n{row['period']} ({unit})", fontsize=8)
    for axis in list(axes.flat)[count:]:
        axis.axis("off")
    axes.flat[0].legend(fontsize=7, loc="best")
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


def main(argv=None) -> int:
    """``python -m renaissance.calibration.series_validation ACCEPTED.csv OUT.png``:
    print the comparison table (Markdown) of the history run over the accepted sets."""
    import sys

    argv = sys.argv[1:] if argv is None else argv
    accepted = pd.read_csv(argv[0])
    table = series_table(ensemble_history(accepted))
    if len(argv) > 1:
        plot_series(table, argv[1])
    columns = ["series", "period", "observed", "p05", "median", "p95", "inside", "quantity"]
    from renaissance.calibration.report import _markdown

    print(_markdown(table[columns]))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
