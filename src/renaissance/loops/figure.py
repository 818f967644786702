"""Figure of loop dominance: relative loop scores of chosen places over time."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def dominance_figure(dominance, places: list[str], paths: list[Path]) -> None:
    """Plot relative loop scores of ``places`` (districts, regions or ``"nation"``).

    One panel per place: a line per loop (reinforcing loops solid, balancing dashed;
    balancing scores are negative), and above it a strip coloured by the loop with the
    largest absolute relative score at each time (the dominant loop).

    Parameters
    ----------
    dominance : renaissance.loops.dominance.LoopDominance
    places : list of str
    paths : list of pathlib.Path
        Files to write (``.png``, ``.svg``).
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    loops = list(dict.fromkeys(str(i) for d in dominance.sets.values() for i in d["loop"].values))
    # tab10 then the pale half of tab20: the first ten loops get the most distinct colours
    palette = [*matplotlib.colormaps["tab10"].colors, *matplotlib.colormaps["tab20"].colors[1::2]]
    colour = {loop: palette[i % len(palette)] for i, loop in enumerate(loops)}
    figure, axes = plt.subplots(len(places), 1, figsize=(10, 3.4 * len(places)), squeeze=False,
                                constrained_layout=True)  # fmt: skip
    for axis, place in zip(axes[:, 0], places, strict=True):
        dataset, selection = _find(dominance, place)
        relative = dataset["relative_score"].sel(selection)
        times = relative["time"].values
        values = relative.values  # (loop, time)
        for row, loop in enumerate(relative["loop"].values):
            polarity = str(dataset["loop_polarity"].values[row])
            axis.plot(times, values[row], color=colour[str(loop)], lw=1.6,
                      ls="-" if polarity == "R" else "--", label=str(loop))  # fmt: skip
        strongest = np.nanargmax(np.where(np.isnan(values), -1, np.abs(values)), axis=0)
        top = 1.08
        for k in range(len(times) - 1):
            axis.axvspan(times[k], times[k + 1], ymin=0.94, ymax=1.0, lw=0,
                         color=colour[str(relative["loop"].values[strongest[k]])])  # fmt: skip
        axis.set_ylim(-1.05, top)
        axis.axhline(0, color="#888888", lw=0.6)
        axis.set_title(f"{place}: relative loop scores (strip: dominant loop)", loc="left",
                       fontsize=11)  # fmt: skip
        axis.set_ylabel("relative loop score")
        handles = [Patch(color=colour[str(loop)], label=str(loop))
                   for loop in relative["loop"].values]  # fmt: skip
        axis.legend(handles=handles, ncol=min(len(handles), 8), fontsize=8, loc="lower left",
                    framealpha=0.85)  # fmt: skip
    axes[-1, 0].set_xlabel("year")
    figure.suptitle(f"Loop dominance in scenario {dominance.scenario!r} (Loops that Matter)")
    for path in paths:
        figure.savefig(path, dpi=110)
    plt.close(figure)


def _find(dominance, place: str):
    for dims, dataset in dominance.sets.items():
        if not dims and place == "nation":
            return dataset, {}
        if dims and place in dataset[dims[0]].values:
            return dataset, {dims[0]: place}
    known = [str(p) for dims, d in dominance.sets.items() for p in (d[dims[0]].values if dims
             else ["nation"])]  # fmt: skip
    raise ValueError(f"place {place!r} has no loop scores; known places: {known}")
