"""A self-contained HTML report of a comparison: one file, no external assets.

Figures are embedded as base64 PNG; styles are inline in the page; every text that
comes from data (scenario names, descriptions, attrs) is HTML-escaped.
"""

import base64
import html
from datetime import UTC, datetime
from pathlib import Path

from renaissance.metrics import bellandi_trajectory, gvc_model
from renaissance.metrics.table import format_number

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #222; line-height: 1.4; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem;
     border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .88rem; }
th, td { border: 1px solid #ddd; padding: .25rem .5rem; vertical-align: top; }
th { background: #f3f3f3; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .85rem; color: #555; }
.note { font-size: .85rem; color: #555; }
code { font-size: .85rem; }
.scroll { overflow-x: auto; }
.band { color: #666; font-size: .8rem; }
.ranking { font-size: 1rem; margin: .2rem 0; }
table.pairs td.win { background: #dff0d8; } table.pairs td.lose { background: #f6dcdc; }
.side { display: flex; flex-wrap: wrap; gap: 0 1.5rem; align-items: flex-start; }
ul.short { font-size: 1rem; padding-left: 1.2rem; } ul.short li { margin: .25rem 0; }
code.name { font-weight: normal; color: #555; font-size: .78rem; }
h3 code { font-weight: normal; font-size: .8rem; color: #555; }
"""


def _escape(value):
    return html.escape(str(value), quote=True)


def _table(head, rows):
    """An HTML table from a header row and body rows (both already HTML)."""
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return f"<div class='scroll'>{table}</div>"


def _metrics_table(table):
    scenarios = [str(name) for name in table.index]
    head = "".join(f"<th>{_escape(name)}</th>" for name in scenarios)
    rows = []
    for column in table.columns:
        cells = "".join(
            f'<td class="number">{_escape(format_number(value))}</td>'
            for value in table[column].to_numpy()
        )
        rows.append(f"<tr><th>{_metric_label(table, column)}</th>{cells}</tr>")
    return _table(f"<th>metric</th>{head}", rows)


def _metric_label(table, column):
    """The column's words and, below, the name to type (``--outputs``, ``list metrics``)."""
    name = table.attrs.get("metric_names", {}).get(column)
    label = _escape(column)
    return f"{label}<br><code class='name'>{_escape(name)}</code>" if name else label


def _class_table(results, window):
    trajectories = bellandi_trajectory(results, window)
    models = gvc_model(results, window[1])
    if "member" in trajectories.dims:
        return "<p class='note'>Classes per ensemble member: see the metrics registry.</p>"
    if "scenario" not in trajectories.dims:
        trajectories = trajectories.expand_dims(scenario=["run"])
        models = models.expand_dims(scenario=["run"])
    scenarios = [str(name) for name in trajectories["scenario"].values]
    head = "".join(f"<th>{_escape(name)}</th>" for name in scenarios)
    rows = []
    for district in trajectories["District"].values:
        cells = []
        for name in scenarios:
            trajectory = trajectories.sel(District=district, scenario=name).item()
            model = models.sel(District=district, scenario=name).item()
            cells.append(
                f"<td>{_escape(trajectory)}<br><span class='note'>{_escape(model)}</span></td>"
            )
        cells = "".join(cells)
        rows.append(f"<tr><th>{_escape(district)}</th>{cells}</tr>")
    return _table(f"<th>district</th>{head}", rows)


_POLICY_HEADERS = {"budget": "budget (M€/year)", "start": "start (year)", "end": "end (year)"}


def _policies_table(policies):
    if policies is None:
        return "<p class='note'>Policies not given.</p>"
    if not policies:
        return "<p class='note'>No new policy.</p>"
    keys = []
    for policy in policies:
        for key in policy:
            if key not in keys:
                keys.append(key)
    head = "".join(f"<th>{_escape(_POLICY_HEADERS.get(key, key))}</th>" for key in keys)
    rows = []
    for policy in policies:
        cells = "".join(f"<td>{_escape(_plain(policy.get(key, '')))}</td>" for key in keys)
        rows.append(f"<tr>{cells}</tr>")
    return _table(head, rows)


def _plain(value):
    """A policy setting as text: years and whole numbers without separators, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_plain(item)}" for key, item in value.items())
    if isinstance(value, float):
        return format_number(value)
    return value


def _scenarios_section(scenarios_meta, results):
    names = (
        [str(name) for name in results["scenario"].values]
        if "scenario" in results.dims
        else list(scenarios_meta or {})
    )
    parts = []
    for name in names:
        meta = (scenarios_meta or {}).get(name, {})
        description = meta.get("description") or "(no description given)"
        source = ""
        if meta.get("file"):
            digest = meta.get("sha256", "")
            source = (
                f"<p class='note'>file <code>{_escape(meta['file'])}</code>"
                + (f", sha256 <code>{_escape(digest)}</code>" if digest else "")
                + "</p>"
            )
        parts.append(
            f"<h3>{_escape(name)}</h3><p>{_escape(description)}</p>{source}"
            + _policies_table(meta.get("policies"))
        )
    return "".join(parts)


def _provenance_table(results):
    rows = "".join(
        f"<tr><th>{_escape(key)}</th><td>{_escape(value)}</td></tr>"
        for key, value in results.attrs.items()
    )
    dims = ", ".join(f"{name}: {size}" for name, size in results.sizes.items())
    rows += f"<tr><th>dims</th><td>{_escape(dims)}</td></tr>"
    return f"<table><tbody>{rows}</tbody></table>"


def _figure(caption, png):
    data = base64.b64encode(png).decode("ascii")
    return (
        f"<figure><img alt='{_escape(caption)}' src='data:image/png;base64,{data}'>"
        f"<figcaption>{_escape(caption)}</figcaption></figure>"
    )


def _band_cell(value, low, high):
    text = _escape(format_number(value))
    if low is None:
        return text
    return (
        f"{text}<br><span class='band'>({_escape(format_number(low))} to "
        f"{_escape(format_number(high))})</span>"
    )


def _metrics_band_table(table, bands):
    """The headline table with each median followed by its 5th-95th percentile band."""
    scenarios = [str(name) for name in table.index]
    lookup = {(r.metric, r.scenario): (r.p05, r.p95) for r in bands.itertuples()}
    head = "".join(f"<th>{_escape(name)}</th>" for name in scenarios)
    rows = []
    for column in table.columns:
        cells = "".join(
            f'<td class="number">{_band_cell(value, *lookup.get((column, name), (None, None)))}'
            "</td>"
            for name, value in zip(scenarios, table[column].to_numpy(), strict=True)
        )
        rows.append(f"<tr><th>{_metric_label(table, column)}</th>{cells}</tr>")
    return _table(f"<th>metric</th>{head}", rows)


def render_report(
    results,
    metrics_table,
    scenarios_meta,
    figures,
    window,
    title=None,
    answer=None,
):
    """The report page as a string.

    Parameters
    ----------
    results : xarray.Dataset
        Comparison results (for the district classes and the provenance attrs).
    metrics_table : pandas.DataFrame
        From :func:`renaissance.metrics.headline_table`.
    scenarios_meta : mapping
        Scenario name → {"description", "file", "sha256", "policies"}; may be empty.
    figures : sequence of (str, bytes)
        Captions and PNG bytes, in page order.
    window : tuple of two float
        Window of the trajectory classes.
    title : str or None
        Page title.
    answer : mapping or None
        The verdict: ``{"verdict", "pairs", "regional", "bands"}`` tables
        (:func:`renaissance.metrics.verdict.verdict`, :func:`~renaissance.metrics.verdict.
        pairwise_table`, :func:`renaissance.metrics.regional.regional_table`,
        :func:`renaissance.metrics.table.band_table`); None: no verdict section.

    Returns
    -------
    str
        A complete HTML5 document.
    """
    title = title or "renaissance: comparison of policy scenarios"
    created = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    notes = []
    if metrics_table.attrs.get("reference"):
        notes.append(
            "Jobs and costs are measured against the reference scenario "
            f"<b>{_escape(metrics_table.attrs['reference'])}</b>."
        )
    if metrics_table.attrs.get("members", 1) > 1:
        notes.append(
            f"Values are medians over {metrics_table.attrs['members']} members, with the "
            "5th–95th percentile band in brackets. A scenario's own parameters override the "
            "ensemble's values for the same names."
        )
    notes.append(
        "“–”: not defined (no job or capital gained against the reference). "
        "Definitions of every metric and of the classification rules are in "
        "<code>docs/results.md</code>."
    )
    names = [str(name) for name in results["scenario"].values] if "scenario" in results.dims else []
    opening = []
    if answer is not None and metrics_table.attrs.get("reference"):
        from renaissance.report.verdict import regional_section, verdict_section

        reference = metrics_table.attrs["reference"]
        opening = [
            "<h2>The answer</h2>",
            verdict_section(answer["verdict"], answer["pairs"], reference, window, names),
            "<h2>By region</h2>",
            regional_section(answer["regional"], reference, window[1], names),
        ]
    bands = None if answer is None else answer.get("bands")
    members = metrics_table.attrs.get("members", 1)
    body = [
        f"<h1>{_escape(title)}</h1>",
        f"<p class='note'>Written {created} by renaissance "
        f"{_escape(results.attrs.get('renaissance_version', ''))}. "
        "An illustrative system-dynamics model, not a forecast (docs/model.md §1).</p>",
        *opening,
        "<h2>Headline metrics</h2>",
        _metrics_band_table(metrics_table, bands)
        if bands is not None and members > 1
        else _metrics_table(metrics_table),
        "<p class='note'>" + " ".join(notes) + "</p>",
        "<h2>Figures</h2>",
        *[_figure(caption, png) for caption, png in figures],
        f"<h2>District trajectories {window[0]:g}–{window[1]:g}</h2>",
        "<p class='note'>Upper line: Bellandi trajectory (seed 001 §2) over the window; "
        f"lower line: Giuliani and Rabellotti GVC model (seed 003 §3) in {window[1]:g}. "
        "Rules in docs/results.md.</p>",
        _class_table(results, window),
        "<h2>Scenarios</h2>",
        _scenarios_section(scenarios_meta, results),
        "<h2>Provenance</h2>",
        _provenance_table(results),
    ]
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_escape(title)}</title><style>{_STYLE}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )


def write_report(
    results, metrics_table, scenarios_meta, path, figures=None, window=None, answer=None
):
    """Write a self-contained ``report.html``.

    Parameters
    ----------
    results : xarray.Dataset
        Comparison results.
    metrics_table : pandas.DataFrame
        From :func:`renaissance.metrics.headline_table`.
    scenarios_meta : mapping
        Scenario name → {"description", "file", "sha256", "policies"}.
    path : str or pathlib.Path
        File to write (UTF-8).
    figures : sequence of (str, bytes) or None
        Captions and PNG bytes; None renders the standard figures
        (:func:`renaissance.report.standard_figures`).
    window : tuple of two float or None
        Window of the district classes; None: the last default window.
    answer : mapping or None
        The verdict tables (see :func:`render_report`).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    from renaissance.metrics import DEFAULT_WINDOWS
    from renaissance.report.outputs import render_standard_figures

    window = tuple(window or DEFAULT_WINDOWS[-1])
    if figures is None:
        figures = [
            (caption, png)
            for _stem, caption, png, _svg in render_standard_figures(results, metrics_table)
        ]
    path = Path(path)
    path.write_text(
        render_report(results, metrics_table, scenarios_meta, figures, window, answer=answer),
        encoding="utf-8",
    )
    return path
