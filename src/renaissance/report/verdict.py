"""The report's opening: the verdict per headline metric, the pairwise shares, the regions.

Everything here renders tables already computed by :mod:`renaissance.metrics.verdict`
and :mod:`renaissance.metrics.regional` as HTML; data text is HTML-escaped.
"""

import html
import math

from renaissance.metrics.table import format_number


def _escape(value):
    return html.escape(str(value), quote=True)


def _number(value, signed=False):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = format_number(value)
    return f"+{text}" if signed and value > 0 else text


def _band(low, high):
    if any(isinstance(v, float) and math.isnan(v) for v in (low, high)):
        return ""
    return f" <span class='band'>({_number(low)} to {_number(high)})</span>"


def _share(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{100.0 * value:.0f}%"


def _pairwise_matrix(pairs, metric, names):
    """A matrix: row A, column B, cell the share of members in which A beats B."""
    chosen = pairs[pairs["metric"] == metric]
    lookup = {(r.scenario, r.other): r.share_a_beats_b for r in chosen.itertuples()}
    shown = [name for name in names if any(name in key for key in lookup)]
    head = "".join(f"<th>{_escape(name)}</th>" for name in shown)
    rows = []
    for first in shown:
        cells = []
        for second in shown:
            value = lookup.get((first, second))
            if value is None:
                cells.append("<td class='number'>·</td>")
            else:
                tone = "win" if value >= 0.9 else "lose" if value <= 0.1 else ""
                cells.append(f"<td class='number {tone}'>{_share(value)}</td>")
        rows.append(f"<tr><th>{_escape(first)}</th>{''.join(cells)}</tr>")
    return (
        "<div class='scroll'><table class='pairs'><thead><tr><th>row beats column in</th>"
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
        "</table></div>"
    )


def _in_short(verdict, pairs, reference, members):
    """One sentence per headline metric: the best mix, its lead, how surely it leads."""
    items = []
    for metric, rows in verdict.groupby("metric", sort=False):
        best = rows.iloc[0]
        sentence = f"<b>{_escape(best['label'])}</b>: best <b>{_escape(best['scenario'])}</b>"
        if best["scenario"] == reference:
            sentence += " (the reference: no mix does better)"
        elif not math.isnan(best["difference"]):
            sentence += (
                f", {_number(best['difference'], signed=True)} {_escape(best['units'])} "
                f"({_number(best['difference_percent'], signed=True)}%) against "
                f"{_escape(reference)}"
            )
        else:
            sentence += f", {_number(best['median'])} {_escape(best['units'])}"
        if members > 1 and len(rows) > 1:
            chosen = pairs[(pairs["metric"] == metric) & (pairs["scenario"] == best["scenario"])]
            if len(chosen):
                weakest = chosen.loc[chosen["share_a_beats_b"].idxmin()]
                share = weakest["share_a_beats_b"]
                if share == 1.0:
                    sentence += f"; it beats every other in all {members} members"
                else:
                    sentence += (
                        f"; it beats {_escape(weakest['other'])} in {_share(share)} of the "
                        f"{members} members (its closest rival)"
                    )
        items.append(f"<li>{sentence}.</li>")
    return f"<ul class='short'>{''.join(items)}</ul>"


def verdict_section(verdict, pairs, reference, window, names):
    """HTML of the verdict: one block per headline metric.

    Parameters
    ----------
    verdict : pandas.DataFrame
        From :func:`renaissance.metrics.verdict.verdict`.
    pairs : pandas.DataFrame
        From :func:`renaissance.metrics.verdict.pairwise_table`.
    reference : str
        The reference scenario.
    window : tuple of two float
        The comparison's window (levels in its end year).
    names : list of str
        Scenario names in comparison order.

    Returns
    -------
    str
    """
    members = int(verdict["members"].iat[0]) if len(verdict) else 1
    start, end = window
    intro = (
        f"<p>Levels in <b>{end:g}</b>; differences from the reference <b>{_escape(reference)}"
        f"</b> are differences of levels in {end:g} (the same parameter set in both "
        "scenarios), not differences of each scenario's own growth. "
    )
    if members > 1:
        intro += (
            f"Over <b>{members}</b> ensemble members: each number is the median, with the "
            "5th–95th percentile band in brackets; the matrices give the share of members "
            "in which the scenario of the row beats the scenario of the column "
            "(more jobs, more exports, more capital, a lower cost per job).</p>"
        )
    else:
        intro += (
            "One run per scenario: no uncertainty is shown (give <code>--members N</code> "
            "to compare over an ensemble of calibrated parameter sets).</p>"
        )
    blocks = [_in_short(verdict, pairs, reference, members), intro]
    for metric, rows in verdict.groupby("metric", sort=False):
        first = rows.iloc[0]
        direction = "higher is better" if first["better"] == "higher" else "lower is better"
        ranking = " &gt; ".join(_escape(name) for name in rows["scenario"])
        has_difference = not rows["difference"].isna().all()
        header = f"<tr><th>rank</th><th>scenario</th><th>{_escape(first['units'])}</th>"
        if has_difference:
            header += (
                f"<th>vs {_escape(reference)} ({_escape(first['units'])})</th>"
                f"<th>vs {_escape(reference)} (%)</th>"
            )
        header += "</tr>"
        body = []
        for row in rows.itertuples():
            cells = (
                f"<td class='number'>{row.rank}</td><td>{_escape(row.scenario)}</td>"
                f"<td class='number'>{_number(row.median)}"
                + (_band(row.low, row.high) if members > 1 else "")
                + "</td>"
            )
            if has_difference:
                if row.scenario == reference:
                    cells += "<td class='number'>reference</td><td class='number'></td>"
                else:
                    cells += (
                        f"<td class='number'>{_number(row.difference, signed=True)}"
                        + (_band(row.difference_low, row.difference_high) if members > 1 else "")
                        + f"</td><td class='number'>{_number(row.difference_percent, True)}</td>"
                    )
            if row.defined < 1.0 and not has_difference:
                cells += (
                    f"<td class='note'>defined in {_share(row.defined)} of members "
                    "(no job gained in the others)</td>"
                )
            body.append(f"<tr>{cells}</tr>")
        if not has_difference:
            header = header.replace("</tr>", "<th></th></tr>")
        block = (
            f"<h3>{_escape(first['label'])} <code>{_escape(metric)}</code></h3>"
            f"<p class='ranking'><span class='note'>{direction}:</span> {ranking}</p>"
            "<div class='side'>"
            f"<div class='scroll'><table class='verdict'><thead>{header}</thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>"
        )
        if members > 1:
            block += _pairwise_matrix(pairs, metric, names)
        blocks.append(block + "</div>")
    if not verdict.empty:
        blocks.append(
            f"<p class='note'>Cost per job: extra policy spending {start:g}–{end:g} per "
            f"national job gained in {end:g} against {_escape(reference)}; “–”: no job "
            "gained (counted as worse than any cost when scenarios are compared). "
            "Machine-readable: <code>verdict.csv</code>, <code>pairwise.csv</code>, "
            "<code>metrics_band.csv</code>.</p>"
        )
    return "".join(blocks)


def regional_section(regional, reference, year, names):
    """HTML of the regional view: one table per quantity, regions as rows.

    Parameters
    ----------
    regional : pandas.DataFrame
        From :func:`renaissance.metrics.regional.regional_table`.
    reference : str
    year : float
    names : list of str
        Scenario names in comparison order.

    Returns
    -------
    str
    """
    parts = [
        f"<p class='note'>District employment and exports of each region in {year:g} "
        "(median over members); in brackets the percent difference from "
        f"{_escape(reference)} in {year:g}. Policies targeted at some regions show here.</p>"
    ]
    for quantity, rows in regional.groupby("quantity", sort=False):
        units = rows["units"].iat[0]
        head = "".join(f"<th>{_escape(name)}</th>" for name in names)
        body = []
        for region, cells in rows.groupby("Region", sort=False):
            by_name = {row.scenario: row for row in cells.itertuples()}
            shown = []
            for name in names:
                row = by_name[name]
                difference = (
                    ""
                    if name == reference
                    else f" <span class='band'>({_number(row.difference_percent, True)}%)</span>"
                )
                shown.append(f"<td class='number'>{_number(row.median)}{difference}</td>")
            body.append(f"<tr><th>{_escape(region)}</th>{''.join(shown)}</tr>")
        parts.append(
            f"<h3>District {_escape(quantity)} ({_escape(units)})</h3>"
            f"<div class='scroll'><table><thead><tr><th>region</th>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>"
        )
    return "".join(parts)
