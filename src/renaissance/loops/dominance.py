"""Which named loop drives each district, region and the nation when, in a scenario."""

from __future__ import annotations

import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr


@dataclass
class LoopDominance:
    """Loop scores of a scenario's run.

    Attributes
    ----------
    scenario : str
    sets : dict
        Dims -> Dataset of ``score`` and ``relative_score`` over ``(loop, time, *dims)``
        (:func:`renaissance.loops.scores.loop_score_sets`).
    skipped : list of str
        Loops that cross scales (no cell-wise score).
    """

    scenario: str
    sets: dict
    skipped: list

    def table(self, times=None) -> pd.DataFrame:
        """One row per time, place and loop: ``score``, ``relative_score``, ``dominant``.

        ``place`` is the district or region (``nation`` for scalar loops); ``times``
        selects the rows' times (nearest computed time), all by default.
        """
        frames = []
        for dims, dataset in self.sets.items():
            if times is not None:
                dataset = dataset.sel(time=list(times), method="nearest")
            frame = dataset[["score", "relative_score"]].to_dataframe().reset_index()
            frame["place"] = frame[dims[0]] if dims else "nation"
            frame["scale"] = dims[0] if dims else "nation"
            frame["polarity"] = frame["loop"].map(
                dict(zip(dataset["loop"].values, dataset["loop_polarity"].values, strict=True))
            )
            strongest = frame.loc[frame.groupby(["time", "place"])["relative_score"]
                                  .transform(lambda s: s.abs().idxmax() if s.notna().any() else -1)
                                  .dropna().astype(int).unique()]  # fmt: skip
            winners = dict(zip(zip(strongest["time"], strongest["place"], strict=True),
                               strongest["loop"], strict=True))  # fmt: skip
            frame["dominant"] = [
                winners.get((t, p)) == loop
                for t, p, loop in zip(frame["time"], frame["place"], frame["loop"], strict=True)
            ]
            frames.append(frame[["time", "scale", "place", "loop", "polarity", "score",
                                 "relative_score", "dominant"]])  # fmt: skip
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def scenario_loop_dominance(scenario) -> LoopDominance:
    """Loop scores of the named loops along a scenario's run.

    Parameters
    ----------
    scenario : renaissance.scenarios.Scenario
        A validated scenario (:func:`renaissance.scenarios.load_scenario`); run with
        Euler at its time step on the numpy plan (every step kept).
    """
    from renaissance.paths import MODEL_FILE
    from renaissance.roster import model_for_roster

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # PySD's translator chatter
        if scenario.roster == "showcase":
            return _dominance(MODEL_FILE, scenario)
        with tempfile.TemporaryDirectory(prefix="renaissance-roster-") as folder:
            return _dominance(model_for_roster(scenario.roster, Path(folder)), scenario)


def _dominance(model_file: Path, scenario) -> LoopDominance:
    from renaissance.diagrams import link_polarities, model_loops, read_structure
    from renaissance.loops.scores import loop_score_sets
    from renaissance.loops.trajectory import record_run
    from renaissance.scenarios.preparation import scenario_params

    structure = read_structure(model_file)
    loops = model_loops(structure, link_polarities(structure))
    trajectory = record_run(model_file, scenario_params(scenario), dt=scenario.horizon.dt,
                            final_time=scenario.horizon.stop)  # fmt: skip
    sets = loop_score_sets(trajectory, structure, loops)
    placed = {loop for dataset in sets.values() for loop in dataset["loop"].values}
    skipped = [loop.identifier for loop in loops if loop.identifier not in placed]
    return LoopDominance(scenario.name, sets, skipped)


def save_times(dataset: xr.Dataset, start: float, saveper: float) -> np.ndarray:
    """Computed times nearest to ``start + k * saveper``."""
    times = dataset["time"].values
    wanted = np.arange(start + saveper, times[-1] + saveper / 2, saveper)
    return np.unique(times[np.abs(times[:, None] - wanted[None, :]).argmin(axis=0)])
