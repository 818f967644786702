"""Figure of the calibrated history against the observations (``fit.png``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from renaissance.calibration.mapping import (
    LAST_CALIBRATION_YEAR,
    SEGMENT_NUMBER,
    TFP_VARIABLES,
    manufacturing_tfp,
)

FIGURE_VARIABLES = (
    *TFP_VARIABLES,
    "Total District Manufacturing Employment",
    "District Productivity Premium",
    "District Manufacturing Employment",
    "District Segment Number",
)


def history_runs(result):
    """The scenario over its whole horizon with its own and with the fitted parameters."""
    prepared = result.problem.prepared
    own = prepared.run(return_columns=list(FIGURE_VARIABLES))
    # one-member ensemble: the sample table takes "Name[element]" columns as they are
    fitted = prepared.run_ensemble(
        pd.DataFrame([result.fitted]), return_columns=list(FIGURE_VARIABLES)
    ).isel(member=0)
    return own, fitted


def plot_fit(result, path: Path) -> None:
    """Six panels: national and district employment, human capital, TFP, premium, segments.

    Observations are drawn as ranges (bars) at their years; the years after 2008 are
    shaded: they are validation, not calibration targets.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    own, fitted = history_runs(result)
    targets = {t.id: t for t in result.targets}
    pwt = result.pwt
    labour_share = float(pwt["labsh"].loc[1995:2007].mean())
    figure, axes = plt.subplots(2, 3, figsize=(15, 8.5))
    axes = axes.ravel()
    runs = (
        (own, f"{result.scenario} (model defaults)", "0.6", "--"),
        (fitted, "calibrated", "C0", "-"),
    )

    def series(ax, name, scale=1.0):
        for data, label, colour, style in runs:
            ax.plot(data.time, data[name] / scale, style, color=colour, label=label)

    def bar(ax, target_id, year, scale=1.0):
        if target_id in targets:
            t = targets[target_id]
            ax.errorbar(
                [year],
                [t.observed / scale],
                yerr=[[(t.observed - t.low) / scale], [(t.high - t.observed) / scale]],
                fmt="o",
                color="C3",
                capsize=4,
                label=f"{t.id} range",
            )

    series(axes[0], "National Manufacturing Employment", 1e6)
    bar(axes[0], "F07", 2007, 1e6)
    axes[0].set_title("National manufacturing employment (million persons)")
    series(axes[1], "Total District Manufacturing Employment", 1e6)
    bar(axes[1], "F03", 2001, 1e6)
    axes[1].set_title("District manufacturing employment (million persons)")
    series(axes[2], "National Human Capital Index")
    years = [y for y in pwt.index if own.time.min() <= y <= own.time.max()]
    axes[2].plot(years, pwt["hc"].loc[years], "o", color="C3", ms=3, label="PWT 9.1 hc")
    axes[2].set_title("National human-capital index (PWT scale)")
    for data, label, colour, style in runs:
        tfp = manufacturing_tfp(data, labour_share).squeeze()
        axes[3].plot(data.time, tfp / tfp.sel(time=1995), style, color=colour, label=label)
    axes[3].plot(
        years,
        pwt["rtfpna"].loc[years] / pwt["rtfpna"].loc[1995],
        "o",
        color="C3",
        ms=3,
        label="PWT 9.1 rtfpna (whole economy)",
    )
    axes[3].set_title("TFP, 1995 = 1 (manufacturing in the model)")
    for data, label, colour, style in runs:
        premium = data["District Productivity Premium"]
        employment = data["District Manufacturing Employment"]
        weighted = (premium * employment).sum("District") / employment.sum("District")
        axes[4].plot(data.time, weighted, style, color=colour, label=label)
    if "F09" in targets:
        t = targets["F09"]
        axes[4].fill_between(
            [1995, 2006], t.low, t.high, color="C3", alpha=0.2, label="F09 range (mean 1995-2006)"
        )
    axes[4].set_title("District productivity premium (employment-weighted)")
    for segment, colour in (("Mechanics", "C2"), ("Person Goods", "C1")):
        for data, label, _, style in runs:
            chosen = data["District Segment Number"].isel(time=0) == SEGMENT_NUMBER[segment]
            total = (data["District Manufacturing Employment"] * chosen).sum("District")
            axes[5].plot(
                data.time,
                total / total.sel(time=1993),
                style,
                color=colour,
                label=f"{segment}, {label}",
            )
    axes[5].axhline(1.0, color="0.3", lw=0.5)
    axes[5].set_title("District employment by segment, 1993 = 1 (F23, F24 signs to 2008)")
    for ax in axes:
        ax.axvspan(LAST_CALIBRATION_YEAR + 0.5, float(own.time.max()), color="0.9", zorder=0)
        ax.legend(fontsize=7)
        ax.set_xlim(float(own.time.min()), float(own.time.max()))
    figure.suptitle(
        f"Calibration of '{result.scenario}' (seed {result.seed}); shaded: "
        "after 2008, validation only"
    )
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


__all__ = ["FIGURE_VARIABLES", "history_runs", "plot_fit"]
