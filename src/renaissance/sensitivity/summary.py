"""A short, self-contained HTML summary of a study (figures embedded as PNG data)."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import numpy as np

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; line-height: 1.4; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.2rem 0.6rem; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; } figure { margin: 1rem 0; }
figcaption { font-size: 0.85rem; color: #555; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.warning { background: #fff4e0; border-left: 4px solid #e69f00; padding: .3rem .8rem; }
"""


def _number(value) -> str:
    """A number for the tables: whole numbers (years, counts) as integers, never
    ``2.02e+03``; others with three significant digits."""
    if not np.isfinite(value):
        return "—"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value)}"
    if 1e-3 <= abs(value) < 1e6:
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    return f"{value:.3g}"


def _table(header: list[str], rows: list[list], numeric_from: int = 1) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            if isinstance(value, (float, np.floating)):
                text = _number(value)
            else:
                text = str(value)
            css = ' class="number"' if i >= numeric_from else ""
            cells.append(f"<td{css}>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _index_table(indices, output: str, top: int = 10) -> str:
    selected = indices.sel(output=output)
    names = [
        n
        for n in ("mu_star", "mu_star_conf", "sigma", "S1", "S1_conf", "ST", "ST_conf")
        if n in selected
    ]
    rank = "mu_star" if "mu_star" in selected else ("ST" if "ST" in selected else "S1")
    order = np.argsort(-np.nan_to_num(selected[rank].values, nan=-np.inf), kind="stable")
    from renaissance.sensitivity.honesty import indistinguishable

    conf = f"{rank}_conf"
    rows = []
    for i in order[:top]:
        row = [str(selected["parameter"].values[i]), *[float(selected[n].values[i]) for n in names]]
        if conf in selected:
            flag = indistinguishable(
                float(selected[rank].values[i]), float(selected[conf].values[i])
            )
            row.append("≈0 (inside its interval)" if flag else "yes")
        rows.append(row)
    header = ["parameter", *names] + (
        [f"{rank} distinguishable from 0"] if conf in selected else []
    )
    return _table(header, rows)


def _warnings(indices, attrs) -> str:
    from renaissance.sensitivity.honesty import index_warnings

    found = index_warnings(indices, attrs.get("samples"), attrs.get("method"))
    if not found:
        return ""
    items = "".join(f"<li>{html.escape(text)}</li>" for text in found)
    return f"<div class='warning'><b>Sample size warnings</b><ul>{items}</ul></div>"


def _figure(path: Path, caption: str) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return (
        f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def summary_html(result, attrs: dict, figures: dict[str, Path]) -> str:
    """The summary page.

    Parameters
    ----------
    result : StudyResult
    attrs : dict
        Provenance (:func:`~renaissance.sensitivity.writing.provenance`).
    figures : dict of str to pathlib.Path
        Caption -> PNG file, in the order to show.
    """
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Sensitivity of {html.escape(result.setup.label)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Sensitivity analysis: {html.escape(result.setup.label)}</h1>",
        f"<p>{attrs['runs']:,} runs of the model ({attrs['method']}, N = "
        f"{attrs['samples']:,}, {attrs['parameters']} parameters, seed {attrs['seed']}) "
        f"in {attrs['seconds']:.1f} s on {html.escape(str(attrs['scheduler']))}; "
        f"{attrs['failed_runs']} failed runs.</p>",
    ]
    if result.comparisons:
        parts.append("<h2>Policy robustness</h2>")
        for comparison in result.comparisons:
            parts.append("<pre>" + html.escape(comparison.summary()) + "</pre>")
            difference = str(comparison.indices["output"].values[0])
            parts.append(
                f"<p>What decides the difference — indices of {html.escape(difference)}:</p>"
            )
            parts.append(_warnings(comparison.indices.sel(output=[difference]), attrs))
            parts.append(_index_table(comparison.indices, difference))
    if result.indices is not None:
        parts.append("<h2>Which parameters matter</h2>")
        parts.append(
            "<p>Indices with 95% bootstrap confidence half-widths (<code>_conf</code>). "
            "S1: share of the output's variance due to the parameter alone; ST: "
            "including its interactions; μ*: mean absolute elementary effect.</p>"
        )
        parts.append(_warnings(result.indices, attrs))
        for output in result.indices["output"].values:
            parts.append(f"<h3>{html.escape(str(output))}</h3>")
            parts.append(_index_table(result.indices, str(output)))
    parts.append("<h2>Figures</h2>")
    parts.extend(_figure(path, caption) for caption, path in figures.items())
    parts.append("<h2>Parameters varied</h2>")
    problem = result.samples.problem.to_frame()
    parts.append(_table(list(problem.columns), problem.values.tolist(), numeric_from=2))
    parts.append("<h2>Provenance</h2>")
    parts.append(
        _table(["attribute", "value"], [[k, str(v)] for k, v in attrs.items()], numeric_from=9)
    )
    parts.append("</body></html>")
    return "\n".join(parts)
