"""Everything a comparison writes: figures (PNG and SVG), metric CSVs, ``report.html``."""

import io
from dataclasses import dataclass
from pathlib import Path

from renaissance.metrics import DEFAULT_WINDOWS, QUANTITIES, headline_table, territorial_table
from renaissance.metrics.changes import check_window
from renaissance.metrics.table import table_to_csv
from renaissance.report.figures import district_index_figure, metric_bars_figure, national_figure

BAR_COLUMN_PREFIXES = (
    "national employment change",
    "district employment change",
    "district composite capital change",
    "national jobs vs reference",
    "cost per job",
    "cost per 0.01 district composite capital",
)
"""Headline-table columns drawn as bars (the last window's, where a prefix has several)."""


@dataclass(frozen=True)
class ComparisonOutputs:
    """What :func:`write_comparison_outputs` wrote.

    Attributes
    ----------
    table : pandas.DataFrame
        The headline table (print it with :func:`renaissance.metrics.format_table`).
    files : tuple of pathlib.Path
        Every file written, in writing order.
    """

    table: object
    files: tuple


def bar_columns(table):
    """Columns of ``table`` drawn in the metric bar chart (last match of each prefix)."""
    columns = []
    for prefix in BAR_COLUMN_PREFIXES:
        matches = [column for column in table.columns if column.startswith(prefix)]
        if matches:
            columns.append(matches[-1])
    return columns


def _render(figure):
    images = []
    for extension in ("png", "svg"):
        buffer = io.BytesIO()
        figure.savefig(buffer, format=extension, dpi=150 if extension == "png" else None)
        images.append(buffer.getvalue())
    return images


def render_standard_figures(results, table, base_year=None):
    """Render the standard figures of a comparison.

    Parameters
    ----------
    results : xarray.Dataset
        Comparison results.
    table : pandas.DataFrame
        Headline table (for the metric bars).
    base_year : float or None
        Year in which the district employment index is 100; None: the first year of the
        first default window.

    Returns
    -------
    list of (str, str, bytes, bytes)
        ``(file stem, caption, PNG bytes, SVG bytes)`` in report order.
    """
    base_year = DEFAULT_WINDOWS[0][0] if base_year is None else base_year
    figures = []
    for quantity in QUANTITIES:
        stem = "national_" + quantity.replace(" ", "_")
        caption = (
            f"{quantity.capitalize()}: the nation (districts and the rest of manufacturing) "
            "and all modelled districts, one line per scenario; dotted line: policy start."
        )
        figures.append((stem, caption, *_render(national_figure(results, quantity))))
    figures.append(
        (
            "district_employment_index",
            f"Manufacturing employment of each district, index {base_year:g} = 100, "
            f"{base_year - 10:g} onwards, one line per scenario; dotted line: policy start.",
            *_render(district_index_figure(results, base_year)),
        )
    )
    columns = bar_columns(table)
    figures.append(
        (
            "metric_bars",
            "Headline metrics by scenario (units in each panel title; n/a: not defined).",
            *_render(metric_bars_figure(table, columns)),
        )
    )
    return figures


def answer_tables(results, reference, windows):
    """The verdict tables of a comparison (over the last window).

    Returns
    -------
    dict
        ``verdict`` (:func:`renaissance.metrics.verdict.verdict`), ``pairs``
        (:func:`~renaissance.metrics.verdict.pairwise_table`), ``regional``
        (:func:`renaissance.metrics.regional.regional_table`) and ``bands``
        (:func:`renaissance.metrics.table.band_table`).
    """
    from renaissance.metrics.regional import regional_table
    from renaissance.metrics.table import band_table
    from renaissance.metrics.verdict import pairwise_table, verdict

    last = windows[-1]
    return {
        "verdict": verdict(results, reference, last),
        "pairs": pairwise_table(results, reference, last),
        "regional": regional_table(results, reference, last[1]),
        "bands": band_table(results, reference, windows),
    }


def write_comparison_outputs(
    results, scenarios_meta, directory, reference=None, windows=DEFAULT_WINDOWS
):
    """Write all figures, ``metrics.csv`` and ``report.html`` into ``directory``.

    Parameters
    ----------
    results : xarray.Dataset
        Comparison results (dims ``scenario``, ``time``, ...).
    scenarios_meta : mapping
        Scenario name → {"description", "file", "sha256", "policies"}.
    directory : str or pathlib.Path
        An existing directory; the caller makes the write atomic (temporary directory
        and rename). Files of the same names are overwritten.
    reference : str or None
        Reference scenario for jobs and costs (None: the scenario named "baseline…").
    windows : sequence of (float, float)
        Windows of the headline table; the district index is 100 in the first window's
        first year, classes use the last window.

    Returns
    -------
    ComparisonOutputs
        The headline table and the paths written: ``national_employment``,
        ``national_exports``, ``national_value_added``, ``national_composite_capital``,
        ``district_employment_index`` and ``metric_bars`` as ``.png`` and ``.svg``, then
        ``metrics.csv`` (one row per scenario), ``district_metrics.csv`` and
        ``region_metrics.csv`` (one row per scenario and district or region,
        :func:`renaissance.metrics.territorial_table`); with a reference,
        ``verdict.csv``, ``pairwise.csv`` (share of members in which each scenario beats
        each other one on each headline metric) and ``metrics_band.csv`` (median and
        5th-95th percentiles of every headline column); and ``report.html``.
    """
    from renaissance.report.html import write_report

    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"output directory {directory} does not exist")
    windows = [check_window(window) for window in windows]
    table = headline_table(results, reference=reference, windows=windows)
    files = []
    figures = render_standard_figures(results, table, base_year=windows[0][0])
    for stem, _caption, png, svg in figures:
        for extension, data in (("png", png), ("svg", svg)):
            path = directory / f"{stem}.{extension}"
            path.write_bytes(data)
            files.append(path)
    csv_path = directory / "metrics.csv"
    table_to_csv(table, csv_path)
    files.append(csv_path)
    answer = None
    if table.attrs.get("reference"):
        answer = answer_tables(results, table.attrs["reference"], windows)
        for name in ("verdict", "pairwise", "metrics_band"):
            path = directory / f"{name}.csv"
            key = {"pairwise": "pairs", "metrics_band": "bands"}.get(name, name)
            answer[key].to_csv(path, index=False, float_format="%.10g", na_rep="")
            files.append(path)
    for scale in ("district", "region"):
        path = directory / f"{scale}_metrics.csv"
        table_to_csv(territorial_table(results, scale, windows), path)
        files.append(path)
    report = write_report(
        results,
        table,
        scenarios_meta,
        directory / "report.html",
        figures=[(caption, png) for _stem, caption, png, _svg in figures],
        window=windows[-1],
        answer=answer,
    )
    files.append(report)
    return ComparisonOutputs(table=table, files=tuple(files))
