"""The uncertain inputs of a study: names, plausible ranges and distributions.

A :class:`Problem` is the project's form of SALib's problem dictionary. It is built from
the model's parameter table (``renaissance.parameter_table``, the single source of the
plausible ranges) by :func:`define_problem`, or from explicit bounds by
:meth:`Problem.from_bounds` for test functions.

Distributions (``distribution=`` of :func:`define_problem`), each over the parameter's
plausible range ``[low, high]`` from the table:

``uniform`` (default)
    uniform on ``[low, high]`` (SALib ``unif``).
``triangular``
    triangular on ``[low, high]`` with its mode at the model's default value
    (SALib ``triang``; a default on the upper bound is moved just inside it because
    SALib requires the peak below the upper end).
``truncated-normal``
    normal with mean at the default and standard deviation a quarter of the range,
    truncated to ``[low, high]`` (SALib ``truncnorm``).
``log-uniform``
    uniform in the logarithm on ``[low, high]``; both bounds must be positive
    (SALib ``logunif``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from renaissance.engine.names import normalize

DISTRIBUTIONS = {
    "uniform": "unif",
    "triangular": "triang",
    "truncated-normal": "truncnorm",
    "log-uniform": "logunif",
}
"""Distribution keyword -> SALib's name for it."""

SCENARIO_SETTINGS = (
    "Policy Budget",
    "Policy Start Year",
    "Policy End Year",
    "Policy Ramp Years",
    "Policy Stop Go Cycle Years",
    "Policy On Share of Cycle",
    "Policy Capture Share",
    "Policy Allocation Rule",
    "Policy Target Weight",
    "World Demand Shock ",
    "District Demand Shock ",
    "Low Cost Shock ",
    "Confidence Shock ",
)
"""Name prefixes of constants a scenario sets (policy levers, shock hooks). They are
choices, not uncertainties, so the default selection leaves them out."""


@dataclass(frozen=True)
class Problem:
    """Uncertain inputs of a sensitivity study.

    Attributes
    ----------
    names : tuple of str, length D
        Parameter names as the engine reads them (``Name`` or ``Name[a,b]``).
    bounds : tuple of (float, float), length D
        Plausible range ``(low, high)`` of each parameter, in its units.
    defaults : tuple of float, length D
        The model's value of each parameter (NaN when unknown).
    units : tuple of str, length D
        Units of each parameter.
    distributions : tuple of str, length D
        One of :data:`DISTRIBUTIONS` per parameter.
    """

    names: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]
    defaults: tuple[float, ...]
    units: tuple[str, ...]
    distributions: tuple[str, ...]

    def __post_init__(self):
        lengths = {len(self.bounds), len(self.defaults), len(self.units), len(self.distributions)}
        if lengths != {len(self.names)}:
            raise ValueError("names, bounds, defaults, units and distributions differ in length")
        if not self.names:
            raise ValueError("a problem needs at least one parameter")
        duplicates = sorted({n for n in self.names if self.names.count(n) > 1})
        if duplicates:
            raise ValueError(f"parameters listed more than once: {duplicates}")
        for name, (low, high), default, distribution in zip(
            self.names, self.bounds, self.defaults, self.distributions, strict=True
        ):
            _check_range(name, low, high)
            if distribution not in DISTRIBUTIONS:
                raise ValueError(
                    f"parameter {name!r}: distribution {distribution!r} is not one of "
                    f"{sorted(DISTRIBUTIONS)}"
                )
            if distribution == "log-uniform" and low <= 0:
                raise ValueError(
                    f"parameter {name!r}: a log-uniform distribution needs a positive range, "
                    f"got [{low}, {high}]"
                )
            if distribution in ("triangular", "truncated-normal") and not (low <= default <= high):
                raise ValueError(
                    f"parameter {name!r}: a {distribution} distribution is centred on the "
                    f"default {default}, which is outside its range [{low}, {high}]"
                )

    @classmethod
    def from_bounds(
        cls, bounds: Mapping[str, tuple[float, float]], distribution: str = "uniform"
    ) -> Problem:
        """A uniform (or other) problem from explicit ranges, e.g. for a test function.

        Parameters
        ----------
        bounds : mapping of str to (float, float)
            Parameter name -> ``(low, high)``.
        distribution : str
            ``uniform`` or ``log-uniform`` (the others need a default value).
        """
        names = tuple(bounds)
        return cls(
            names=names,
            bounds=tuple((float(lo), float(hi)) for lo, hi in bounds.values()),
            defaults=tuple(float(np.mean(b)) for b in bounds.values()),
            units=("",) * len(names),
            distributions=(distribution,) * len(names),
        )

    @property
    def size(self) -> int:
        """Number of parameters D."""
        return len(self.names)

    def to_salib(self) -> dict:
        """SALib's problem dictionary (``num_vars``, ``names``, ``bounds``, ``dists``)."""
        bounds = []
        for (low, high), default, distribution in zip(
            self.bounds, self.defaults, self.distributions, strict=True
        ):
            if distribution == "triangular":
                # SALib wants the peak as a fraction of the width, strictly below 1.
                peak = min((default - low) / (high - low), 1 - 1e-9)
                bounds.append([low, high, peak])
            elif distribution == "truncated-normal":
                bounds.append([low, high, default, (high - low) / 4])
            else:
                bounds.append([low, high])
        return {
            "num_vars": self.size,
            "names": list(self.names),
            "bounds": bounds,
            "dists": [DISTRIBUTIONS[d] for d in self.distributions],
        }

    def to_frame(self) -> pd.DataFrame:
        """The problem as a table: ``name, units, default, low, high, distribution``."""
        return pd.DataFrame(
            {
                "name": self.names,
                "units": self.units,
                "default": self.defaults,
                "low": [b[0] for b in self.bounds],
                "high": [b[1] for b in self.bounds],
                "distribution": self.distributions,
            }
        )


def _check_range(name: str, low: float, high: float) -> None:
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ValueError(
            f"parameter {name!r} has no plausible range in the parameter table "
            f"(low={low}, high={high}); give one with bounds={{{name!r}: (low, high)}}"
        )
    if not low < high:
        raise ValueError(
            f"parameter {name!r} has an empty range [{low}, {high}]: low must be below high"
        )


def _pattern(text: str) -> re.Pattern:
    """A name pattern: ``*`` and ``?`` are wildcards; brackets are literal (``Name[a]``)."""
    parts = []
    for character in normalize(text):
        if character == "*":
            parts.append(".*")
        elif character == "?":
            parts.append(".")
        else:
            parts.append(re.escape(character))
    return re.compile("".join(parts) + r"\Z")


def select_parameters(table: pd.DataFrame, patterns: Iterable[str] | None) -> pd.DataFrame:
    """Rows of a parameter table chosen by name or glob pattern.

    Parameters
    ----------
    table : pandas.DataFrame
        A parameter table (columns ``name, units, default, low, high``).
    patterns : iterable of str or None
        Names (any spelling Vensim treats as equal) or patterns with ``*``/``?``
        wildcards. None: every parameter with a plausible range except the settings a
        scenario makes (:data:`SCENARIO_SETTINGS`).

    Returns
    -------
    pandas.DataFrame
        The chosen rows in the order asked for (table order within one pattern).

    Raises
    ------
    ValueError
        A name or pattern matches nothing (close matches are suggested).
    """
    keys = [normalize(name) for name in table["name"]]
    if patterns is None:
        chosen = table[
            np.isfinite(table["low"].astype(float))
            & np.isfinite(table["high"].astype(float))
            & (table["low"].astype(float) < table["high"].astype(float))
            & ~table["name"].str.startswith(SCENARIO_SETTINGS)
        ]
        return chosen.reset_index(drop=True)
    positions: list[int] = []
    for text in patterns:
        pattern = _pattern(text)
        found = [i for i, key in enumerate(keys) if pattern.match(key)]
        if not found:
            close = difflib.get_close_matches(text, list(table["name"]), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            raise ValueError(f"parameter {text!r} is not in the parameter table{hint}")
        positions.extend(i for i in found if i not in positions)
    return table.iloc[positions].reset_index(drop=True)


def define_problem(
    parameters: Iterable[str] | None = None,
    *,
    table: pd.DataFrame | None = None,
    model_file: Path | None = None,
    distribution: str | Mapping[str, str] = "uniform",
    bounds: Mapping[str, tuple[float, float]] | None = None,
) -> Problem:
    """Build a problem from the model's parameter table.

    Parameters
    ----------
    parameters : iterable of str, optional
        Names or ``*``/``?`` patterns (see :func:`select_parameters`); default every
        uncertain parameter with a plausible range.
    table : pandas.DataFrame, optional
        A parameter table; default ``renaissance.parameter_table(model_file)``.
    model_file : pathlib.Path, optional
        Model whose table to read; default ``renaissance.MODEL_FILE``.
    distribution : str or mapping of str to str
        One distribution for all parameters, or parameter name -> distribution (others
        uniform). Keywords in :data:`DISTRIBUTIONS`.
    bounds : mapping of str to (float, float), optional
        Ranges replacing (or supplying) the table's ``[low, high]``.

    Raises
    ------
    ValueError
        Unknown parameter (with close matches), a parameter without a range or with an
        empty one, or an unknown distribution.
    """
    if table is None:
        from renaissance.parameters import parameter_table
        from renaissance.paths import MODEL_FILE

        table = parameter_table(model_file or MODEL_FILE)
    table = table.copy()
    if bounds:
        known = {normalize(n): i for i, n in enumerate(table["name"])}
        for name, (low, high) in bounds.items():
            if normalize(name) not in known:
                select_parameters(table, [name])  # raises with close matches
            row = table.index[known[normalize(name)]]
            table.loc[row, ["low", "high"]] = [float(low), float(high)]
    chosen = select_parameters(table, None if parameters is None else list(parameters))
    if isinstance(distribution, str):
        distributions = [distribution] * len(chosen)
    else:
        by_key = {normalize(k): v for k, v in distribution.items()}
        unknown = set(by_key) - {normalize(n) for n in chosen["name"]}
        if unknown:
            raise ValueError(
                f"distribution given for parameters not in the problem: {sorted(unknown)}"
            )
        distributions = [by_key.get(normalize(n), "uniform") for n in chosen["name"]]
    return Problem(
        names=tuple(chosen["name"]),
        bounds=tuple(
            (float(lo), float(hi)) for lo, hi in zip(chosen["low"], chosen["high"], strict=True)
        ),
        defaults=tuple(float(v) for v in chosen["default"]),
        units=tuple(str(u) for u in chosen["units"]),
        distributions=tuple(distributions),
    )
