"""What a study measures: output specifications turned into one number per run.

Two kinds of output are accepted:

* a metric name of :mod:`renaissance.metrics` (when that module provides it), computed
  by ``renaissance.metrics.compute_metric``;
* a simple specification of a model variable::

      [AGGREGATE(]Variable[[element,...]][)][@YEAR | @START:STOP]

  ``National Manufacturing Employment@2040``
      the value in 2040 (a saved time; person).
  ``National Manufacturing Employment@2025:2050``
      the change from 2025 to 2050 (value in 2050 minus value in 2025).
  ``sum(District Exports)@2040``, ``mean(Composite Capital Index)@2040``
      summed or averaged over every subscript dim (District, Region …); also ``min``,
      ``max``.
  ``District Exports[Prato]@2040``
      one element (elements in the order of the variable's dims).
  ``National Manufacturing Employment``
      without ``@``: the whole trajectory (one value per saved year), for indices per
      year and fan charts.

A variable with subscript dims left after the selection must be aggregated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import xarray as xr

AGGREGATES = ("sum", "mean", "min", "max")
_SPEC = re.compile(
    r"""^\s*(?:(?P<aggregate>[a-z]+)\s*\((?P<inner>.*)\)|(?P<bare>[^@]*?))\s*
    (?:@\s*(?P<start>[-+0-9.eE]+)\s*(?::\s*(?P<stop>[-+0-9.eE]+))?)?\s*$""",
    re.VERBOSE,
)
_TIME_TOLERANCE = 1e-6


def _metric_names() -> list[str]:
    try:
        from renaissance.metrics import metric_names
    except ImportError:
        return []
    return list(metric_names())


def _needs_reference(name: str) -> bool:
    from renaissance.metrics import metric_names, metric_needs_reference

    return name in metric_names() and metric_needs_reference(name)


@dataclass(frozen=True)
class OutputSpec:
    """One output of a study.

    Attributes
    ----------
    text : str
        The specification as written (the output's name in results).
    variable : str or None
        Model variable read (None for a metric).
    elements : tuple of str
        Selected elements, in the order of the variable's dims (empty: none).
    aggregate : str or None
        One of :data:`AGGREGATES` applied over the remaining subscript dims.
    start, stop : float or None
        ``@start`` (value at a year) or ``@start:stop`` (change between years);
        both None for the whole trajectory.
    metric : str or None
        Name of a :mod:`renaissance.metrics` metric, when this output is one.
    """

    text: str
    variable: str | None = None
    elements: tuple[str, ...] = ()
    aggregate: str | None = None
    start: float | None = None
    stop: float | None = None
    metric: str | None = None

    @property
    def over_time(self) -> bool:
        """True when the output is a trajectory (one value per saved time)."""
        return self.metric is None and self.start is None

    def compute(self, results: xr.Dataset) -> xr.DataArray:
        """The output of every member of an ensemble result.

        Parameters
        ----------
        results : xarray.Dataset
            ``run_ensemble`` output holding :attr:`variable` (dims time, member, …).

        Returns
        -------
        xarray.DataArray
            Dims ``(member,)``, or ``(member, time)`` for a trajectory; units in attrs.
        """
        if self.metric is not None:
            from renaissance.metrics import compute_metric

            value = compute_metric(results, self.metric)
            if "scenario" in value.dims:
                value = value.squeeze("scenario", drop=True)
            return value.rename(self.text)
        if self.variable not in results:
            raise ValueError(
                f"output {self.text!r}: variable {self.variable!r} is not in the results"
            )
        value = results[self.variable]
        units = value.attrs.get("units", "")
        subscript_dims = [d for d in value.dims if d not in ("time", "member")]
        if self.elements:
            if len(self.elements) > len(subscript_dims):
                raise ValueError(
                    f"output {self.text!r}: {len(self.elements)} elements given but "
                    f"{self.variable!r} has dims {subscript_dims}"
                )
            for dim, element in zip(subscript_dims, self.elements, strict=False):
                allowed = [str(e) for e in value[dim].values]
                if element not in allowed:
                    raise ValueError(
                        f"output {self.text!r}: {element!r} is not an element of {dim!r} "
                        f"(allowed: {allowed})"
                    )
                value = value.sel({dim: element})
            subscript_dims = subscript_dims[len(self.elements) :]
        if subscript_dims:
            if self.aggregate is None:
                raise ValueError(
                    f"output {self.text!r}: {self.variable!r} has dims {subscript_dims}; "
                    f"select an element with [..] or aggregate with "
                    f"{'/'.join(a + '(...)' for a in AGGREGATES)}"
                )
            value = getattr(value, self.aggregate)(subscript_dims)
        if self.start is not None:
            at_start = _at_year(value, self.start, self.text)
            if self.stop is None:
                value = at_start
            else:
                value = _at_year(value, self.stop, self.text) - at_start
        value = value.drop_vars([c for c in value.coords if c not in value.dims])
        value.attrs = {"units": units, "output": self.text}
        return value.transpose("member", ...).rename(self.text)


def _at_year(value: xr.DataArray, year: float, text: str) -> xr.DataArray:
    times = value["time"].values
    hits = np.flatnonzero(np.abs(times - year) <= _TIME_TOLERANCE * max(1.0, abs(year)))
    if not hits.size:
        raise ValueError(
            f"output {text!r}: {year:g} is not a saved time (saved: {times[0]:g} to "
            f"{times[-1]:g} every {times[1] - times[0] if len(times) > 1 else 0:g})"
        )
    return value.isel(time=int(hits[0]), drop=True)


def parse_output(text: str, compared: bool = False) -> OutputSpec:
    """Read one output specification (see the module docstring).

    Raises
    ------
    ValueError
        Malformed text, an unknown aggregate, or a change whose stop precedes its start.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"an output must be a non-empty string, got {text!r}")
    if text in _metric_names():
        if _needs_reference(text):
            if compared:
                raise ValueError(
                    f"metric {text!r} needs a reference scenario inside one results set; "
                    "with --compare each scenario's outputs are still computed on their own "
                    "and then compared member by member, so give a level instead (e.g. "
                    "nation_employment_2050), or run 'renaissance compare A B --members N' "
                    "for the cost per job over an ensemble"
                )
            raise ValueError(
                f"metric {text!r} needs a reference scenario, which an output of one "
                "scenario does not have; compare two scenarios with --compare instead"
            )
        return OutputSpec(text=text, metric=text)
    match = _SPEC.match(text)
    if not match:
        raise ValueError(f"output {text!r} is not of the form [sum(]Variable[[element]][)]@YEAR")
    aggregate = match["aggregate"]
    if aggregate is not None and aggregate not in AGGREGATES:
        raise ValueError(f"output {text!r}: aggregate {aggregate!r} is not one of {AGGREGATES}")
    body = (match["inner"] if aggregate is not None else match["bare"]).strip()
    elements: tuple[str, ...] = ()
    if body.endswith("]") and "[" in body:
        body, inside = body[:-1].split("[", 1)
        elements = tuple(part.strip() for part in inside.split(",") if part.strip())
        body = body.strip()
    if not body:
        raise ValueError(f"output {text!r} names no variable")
    start = None if match["start"] is None else float(match["start"])
    stop = None if match["stop"] is None else float(match["stop"])
    if start is not None and stop is not None and stop <= start:
        raise ValueError(f"output {text!r}: the change must end after it starts")
    return OutputSpec(
        text=text, variable=body, elements=elements, aggregate=aggregate, start=start, stop=stop
    )


def parse_outputs(texts, compared: bool = False) -> tuple[OutputSpec, ...]:
    """Parse several outputs; names must be distinct (``compared``: with ``--compare``)."""
    if isinstance(texts, str):
        texts = [texts]
    specs = tuple(parse_output(t, compared) for t in texts)
    if not specs:
        raise ValueError("at least one output is needed")
    names = [s.text for s in specs]
    if len(set(names)) != len(names):
        raise ValueError(f"outputs listed more than once: {names}")
    return specs


def variables_needed(specs) -> list[str] | None:
    """Model variables to return for these outputs (None: all, when a metric is used)."""
    if any(s.metric is not None for s in specs):
        return None
    return list(dict.fromkeys(s.variable for s in specs))
