"""The headline table: one row per scenario, for the terminal, the CSV and the report."""

import math
import textwrap

import numpy as np
import pandas as pd

from renaissance.metrics.changes import DEFAULT_WINDOWS, change, check_window
from renaissance.metrics.costs import (
    cost_per_capital_point,
    cost_per_job,
    cumulative_spending,
    difference_from_reference,
)
from renaissance.metrics.quantities import QUANTITIES, quantity_path, value_at
from renaissance.metrics.resilience import resilience_after_own_shock, shock_start_year
from renaissance.metrics.trajectories import (
    BELLANDI_TRAJECTORIES,
    GVC_MODELS,
    bellandi_trajectory,
    gvc_model,
)

_SCALE_LABELS = {"nation": "national", "districts": "district"}


def default_reference(results):
    """The first scenario whose name starts with "baseline", or None.

    Parameters
    ----------
    results : xarray.Dataset
        Results, with or without a ``scenario`` dim.
    """
    if "scenario" not in results.dims:
        return None
    for name in results["scenario"].values:
        if str(name).lower().startswith("baseline"):
            return str(name)
    return None


def _per_scenario(values, quantile=None):
    """A DataArray over ``scenario`` (and maybe ``member``) as a Series over scenarios:
    the median over members, or the given quantile."""
    if "member" in values.dims:
        if quantile is None:
            values = values.median("member")
        else:
            import warnings

            with warnings.catch_warnings():  # a ratio undefined in every member stays NaN
                warnings.simplefilter("ignore", RuntimeWarning)
                values = values.quantile(quantile, "member").drop_vars("quantile")
    if "scenario" not in values.dims:
        values = values.expand_dims(scenario=["run"])
    return values.to_series().astype(float)


def _word(text):
    return text.replace(" ", "_").replace("-", "_")


def _en_dash(window):
    return f"{window[0]:g}–{window[1]:g}"


def headline_table(results, reference=None, windows=DEFAULT_WINDOWS, quantile=None):
    """Headline metrics, one row per scenario.

    Parameters
    ----------
    results : xarray.Dataset
        Results with dims ``scenario`` (optional; a single run becomes the row ``run``),
        ``time`` and optionally ``member`` (the table shows the median over members).
    reference : str or None
        Reference scenario for the cost columns. None: the first scenario whose name
        starts with "baseline"; without one the jobs and cost columns are left out.
    windows : sequence of (float, float)
        Windows of the change columns; trajectories, spending and costs use the last.
    quantile : float or None
        With members: None shows the median over members, a number in [0, 1] that
        quantile (the band table, :func:`band_table`).

    Returns
    -------
    pandas.DataFrame
        Index ``scenario``; column names carry units. Columns: national employment in the
        last year (thousand persons); for each window the percent change of employment,
        exports, value added and composite capital for the nation and for all districts;
        new policy spending over the last window (M€); and, with a reference, national
        jobs against the reference (thousand persons), cost per job (k€/job) and cost
        per 0.01 of district composite capital (M€); if a scenario has a shock, the
        largest fall of national employment after it (%, against the pre-shock level)
        and the years to recover (NaN for scenarios without a shock or without recovery);
        then the number of districts on each Bellandi trajectory and in each GVC model
        (see ``docs/results.md``).
    """
    windows = [check_window(window) for window in windows]
    if not windows:
        raise ValueError("headline_table needs at least one window")
    if reference is None:
        reference = default_reference(results)
    last = windows[-1]
    columns = {}
    names = {}  # column -> metric name as --outputs and `renaissance list metrics` spell it
    employment = quantity_path(results, "employment", "nation")
    names[f"national employment {last[1]:g} (thousand persons)"] = (
        f"nation_employment_{last[1]:.0f}"
    )
    columns[f"national employment {last[1]:g} (thousand persons)"] = (
        _per_scenario(value_at(employment, last[1]), quantile) / 1000.0
    )
    for window in windows:
        for scale, label in _SCALE_LABELS.items():
            for quantity in QUANTITIES:
                name = f"{label} {quantity} change {_en_dash(window)} (%)"
                names[name] = (
                    f"{scale}_{quantity.replace(' ', '_')}_change_{window[0]:.0f}_{window[1]:.0f}"
                )
                columns[name] = _per_scenario(change(results, quantity, scale, window), quantile)
    names[f"policy spending {_en_dash(last)} (M€)"] = (
        f"cumulative_spending_{last[0]:.0f}_{last[1]:.0f}"
    )
    names[f"national jobs vs reference {last[1]:g} (thousand persons)"] = (
        f"nation_jobs_vs_reference_{last[1]:.0f}"
    )
    names[f"cost per job {_en_dash(last)} (k€/job)"] = f"cost_per_job_{last[0]:.0f}_{last[1]:.0f}"
    names[f"cost per 0.01 district composite capital {_en_dash(last)} (M€)"] = (
        f"cost_per_capital_point_{last[0]:.0f}_{last[1]:.0f}"
    )
    names["national employment fall after the shock (%)"] = "nation_employment_resilience_depth"
    names["years to recover within 1% of the pre-shock level"] = "nation_employment_recovery_years"
    columns[f"policy spending {_en_dash(last)} (M€)"] = _per_scenario(
        cumulative_spending(results, last), quantile
    )
    if reference is not None:
        jobs = difference_from_reference(results, reference, "employment", "nation", last[1])
        columns[f"national jobs vs reference {last[1]:g} (thousand persons)"] = (
            _per_scenario(jobs, quantile) / 1000.0
        )
        columns[f"cost per job {_en_dash(last)} (k€/job)"] = _per_scenario(
            cost_per_job(results, reference, last), quantile
        )
        columns[f"cost per 0.01 district composite capital {_en_dash(last)} (M€)"] = _per_scenario(
            cost_per_capital_point(results, reference, last), quantile
        )
    if np.isfinite(shock_start_year(results).values).any():
        outcome = resilience_after_own_shock(results)
        columns["national employment fall after the shock (%)"] = 100.0 * _per_scenario(
            outcome["depth"], quantile
        )
        columns["years to recover within 1% of the pre-shock level"] = _per_scenario(
            outcome["recovery_years"], quantile
        )
    trajectories = bellandi_trajectory(results, last)
    for label in BELLANDI_TRAJECTORIES:
        name = f"districts: {label} {_en_dash(last)}"
        names[name] = f"districts_in_{_word(label)}_{last[0]:.0f}_{last[1]:.0f}"
        columns[name] = _per_scenario((trajectories == label).sum("District"), quantile)
    models = gvc_model(results, last[1])
    for label in GVC_MODELS:
        names[f"districts: {label} {last[1]:g}"] = (
            f"districts_in_{_word(label.lower())}_{last[1]:.0f}"
        )
        columns[f"districts: {label} {last[1]:g}"] = _per_scenario(
            (models == label).sum("District"), quantile
        )
    table = pd.DataFrame(columns)
    table.index = pd.Index([str(name) for name in table.index], name="scenario")
    table.attrs["reference"] = reference
    table.attrs["metric_names"] = {c: names[c] for c in table.columns if c in names}
    table.attrs["members"] = int(results.sizes["member"]) if "member" in results.dims else 1
    return table


def band_table(results, reference=None, windows=DEFAULT_WINDOWS, band=(0.05, 0.95)):
    """Median and band over members of every headline-table column, in long format.

    Parameters
    ----------
    results : xarray.Dataset
        Results with a ``member`` dim (without one the three columns are equal).
    reference, windows
        As for :func:`headline_table`.
    band : tuple of two float
        Quantiles of the band (default the 5th and 95th percentiles).

    Returns
    -------
    pandas.DataFrame
        Columns ``metric`` (the headline-table column), ``name`` (the metric's name for
        ``--outputs``, where the registry has one), ``scenario``, ``median``,
        ``p05``, ``p95`` (named after ``band``) and ``members``.
    """
    tables = {"median": headline_table(results, reference, windows)}
    for quantile in band:
        name = f"p{round(100 * quantile):02d}"
        tables[name] = headline_table(results, reference, windows, quantile=quantile)
    long = {
        name: table.rename_axis(columns="metric").stack(future_stack=True)
        for name, table in tables.items()
    }
    frame = pd.DataFrame(long).reset_index()
    frame = frame[["metric", "scenario", *tables]]
    order = {column: position for position, column in enumerate(tables["median"].columns)}
    frame = frame.sort_values(
        ["metric", "scenario"],
        key=lambda c: (
            c.map(order)
            if c.name == "metric"
            else c.map({n: i for i, n in enumerate(tables["median"].index)})
        ),
        kind="stable",
    )
    frame["members"] = tables["median"].attrs["members"]
    frame.insert(1, "name", frame["metric"].map(tables["median"].attrs["metric_names"]))
    return frame.reset_index(drop=True)


def format_number(value):
    """A number for a table: thousands separators, about three significant digits."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    value = float(value)
    if value == 0:
        return "0"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.1f}"
    return f"{value:.2f}"


def format_table(table, column_width=14, label_width=60):
    """The headline table as plain text, one column per scenario.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`headline_table` (rows are scenarios).
    column_width : int
        Characters per scenario column; scenario names wrap onto several lines.
    label_width : int
        Characters for the metric names.

    Returns
    -------
    str
        Metrics as rows, scenarios as columns; NaN shown as "–".
    """
    names = [textwrap.wrap(str(name), column_width) or [""] for name in table.index]
    header_lines = max(len(lines) for lines in names)
    lines = []
    for row in range(header_lines):
        cells = [
            (lines_of[row] if row < len(lines_of) else "").rjust(column_width) for lines_of in names
        ]
        lines.append(" " * label_width + " " + " ".join(cells))
    lines.append("-" * (label_width + 1 + (column_width + 1) * len(names) - 1))
    for column in table.columns:
        label = column if len(column) <= label_width else column[: label_width - 1] + "…"
        cells = [format_number(value).rjust(column_width) for value in table[column].values]
        lines.append(label.ljust(label_width) + " " + " ".join(cells))
    notes = []
    if table.attrs.get("reference"):
        notes.append(f"reference for jobs and costs: {table.attrs['reference']}")
    if table.attrs.get("members", 1) > 1:
        notes.append(f"median over {table.attrs['members']} ensemble members")
    notes.append("– : not defined (e.g. no job gained against the reference)")
    return "\n".join([*lines, "", *notes])


def table_to_csv(table, path):
    """Write the headline table as CSV (UTF-8, full precision, NaN as empty)."""
    table.to_csv(path, float_format="%.10g", na_rep="")
