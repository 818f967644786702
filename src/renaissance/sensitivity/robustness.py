"""Policy robustness: does policy mix A beat B across the plausible space, and where not?

Both scenarios are run over the same sampled parameter sets, so each run is a paired
comparison under one possible world. The result says in what share of the sampled
space A beats B on one output, which parameters drive the difference (sensitivity
indices of ``A - B``), and in which boxes of the space the conclusion flips
(:func:`~renaissance.sensitivity.discovery.discover_rules`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from renaissance.sensitivity.analysis import analyze
from renaissance.sensitivity.discovery import Rule, discover_rules
from renaissance.sensitivity.sampling import SampleSet


@dataclass(frozen=True)
class Comparison:
    """A paired comparison of two scenarios over the same samples.

    Attributes
    ----------
    output : str
        The output compared (one value per run).
    first, second : str
        Scenario labels (A and B).
    better : str
        ``higher`` or ``lower``: which direction of the output is better.
    difference : xarray.DataArray, dims (member,)
        A minus B per run, in the output's units (NaN where either run failed).
    share : float
        Share of the runs with a value in which A is strictly better than B (0-1).
    interval : (float, float)
        Wilson score interval of :attr:`share` at 95%, treating runs as independent
        draws (for quasi-random samples it is conservative).
    ties : float
        Share of runs where A and B are equal.
    indices : xarray.Dataset
        Sensitivity indices of the difference (dims ``output, parameter``).
    rules : list of Rule
        Boxes of the space with the share of runs in which A beats B.
    """

    output: str
    first: str
    second: str
    better: str
    difference: xr.DataArray
    share: float
    interval: tuple[float, float]
    ties: float
    indices: xr.Dataset
    rules: list[Rule]

    def summary(self) -> str:
        """A few lines of text: the share, its interval and the rules."""
        lines = [
            f"{self.first} beats {self.second} on {self.output!r} ({self.better} is better) "
            f"in {100 * self.share:.1f}% of the runs (95% interval "
            f"{100 * self.interval[0]:.1f}-{100 * self.interval[1]:.1f}%; ties "
            f"{100 * self.ties:.1f}%).",
            "Where it holds:",
            *(f"  {rule}" for rule in self.rules),
        ]
        return "\n".join(lines)

    def to_dataset(self) -> xr.Dataset:
        """The difference and the share as a Dataset (rules as text in attrs)."""
        dataset = xr.Dataset({"difference": self.difference})
        dataset.attrs.update(
            output=self.output,
            first=self.first,
            second=self.second,
            better=self.better,
            share=self.share,
            share_low=self.interval[0],
            share_high=self.interval[1],
            ties=self.ties,
            rules="\n".join(map(str, self.rules)),
        )
        return dataset


def wilson_interval(successes: int, trials: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval of a proportion (Wilson 1927, doi:10.2307/2276774)."""
    if trials <= 0:
        return (float("nan"), float("nan"))
    share = successes / trials
    denominator = 1 + z**2 / trials
    centre = (share + z**2 / (2 * trials)) / denominator
    half = z * np.sqrt(share * (1 - share) / trials + z**2 / (4 * trials**2)) / denominator
    return (float(max(0.0, centre - half)), float(min(1.0, centre + half)))


def compare_outputs(
    samples: SampleSet,
    first: xr.DataArray,
    second: xr.DataArray,
    *,
    first_label: str = "A",
    second_label: str = "B",
    better: str = "higher",
    depth: int = 2,
) -> Comparison:
    """Compare two scenarios' values of one output, run by run.

    Parameters
    ----------
    samples : SampleSet
        The samples both scenarios were run on.
    first, second : xarray.DataArray, dims (member,)
        The output under scenario A and under scenario B.
    better : {"higher", "lower"}
        Which direction of the output is better.
    depth : int
        Conditions per discovered rule.
    """
    if better not in ("higher", "lower"):
        raise ValueError(f"better must be 'higher' or 'lower', got {better!r}")
    for value in (first, second):
        if value.dims != ("member",) or value.sizes["member"] != samples.runs:
            raise ValueError(
                f"compared outputs need dims ('member',) of length {samples.runs}; "
                f"got {value.dims} {dict(value.sizes)} (use an output at a year, @YEAR)"
            )
    name = str(first.name)
    difference = (first - second).rename("difference")
    difference.attrs = {
        "units": first.attrs.get("units", ""),
        "description": f"{first_label} minus {second_label}: {name}",
    }
    values = difference.values
    finite = np.isfinite(values)
    signed = values if better == "higher" else -values
    wins = finite & (signed > 0)
    runs = int(finite.sum())
    share = float(wins.sum() / runs) if runs else float("nan")
    ties = float((finite & (values == 0)).sum() / runs) if runs else float("nan")
    indices = analyze(samples, difference.rename(f"{name} ({first_label} - {second_label})"))
    frame = samples.to_frame()[finite]
    rules = discover_rules(frame, wins[finite], depth=depth) if runs else []
    return Comparison(
        output=name,
        first=first_label,
        second=second_label,
        better=better,
        difference=difference,
        share=share,
        interval=wilson_interval(int(wins.sum()), runs),
        ties=ties,
        indices=indices,
        rules=rules,
    )
