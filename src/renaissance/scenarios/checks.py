"""Type and value checks on :class:`~renaissance.scenarios.nodes.Node` values.

Each check returns the plain Python value or raises a
:class:`~renaissance.scenarios.errors.ScenarioError` naming the file, key path and line,
the value given and what is allowed.
"""

from __future__ import annotations

import difflib
import math

from renaissance.scenarios.nodes import Node


def suggestion(word: str, allowed) -> str:
    """``"; did you mean 'x'?"`` for the closest allowed words, or ``""``."""
    close = difflib.get_close_matches(str(word), [str(a) for a in allowed], n=3, cutoff=0.6)
    if not close:
        lowered = {str(a).lower(): str(a) for a in allowed}
        close = [lowered[str(word).lower()]] if str(word).lower() in lowered else []
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def mapping(node: Node, allowed_keys, required=()) -> dict:
    """The ``dict[str, Node]`` of a mapping node whose keys are all in ``allowed_keys``."""
    if not isinstance(node.value, dict):
        raise node.error(f"expected a mapping (key: value lines), got {_shown(node)}")
    for key in node.value:
        if key not in allowed_keys:
            raise node.value[key].error(
                f"unknown key {key!r}{suggestion(key, allowed_keys)} "
                f"(allowed: {', '.join(sorted(allowed_keys))})"
            )
    for key in required:
        if key not in node.value:
            raise node.error(f"missing required key {key!r}")
    return node.value


def sequence(node: Node) -> list:
    """The ``list[Node]`` of a sequence node."""
    if not isinstance(node.value, list):
        raise node.error(f"expected a list (lines starting with '- '), got {_shown(node)}")
    return node.value


def text(node: Node, allowed=None, what: str = "value") -> str:
    """A non-empty string, optionally one of ``allowed``."""
    if not isinstance(node.value, str) or not node.value.strip():
        raise node.error(f"expected a non-empty text, got {_shown(node)}")
    value = node.value.strip()
    if allowed is not None and value not in allowed:
        raise node.error(
            f"unknown {what} {value!r}{suggestion(value, allowed)} "
            f"(allowed: {', '.join(map(str, allowed))})"
        )
    return value


def boolean(node: Node) -> bool:
    if not isinstance(node.value, bool):
        raise node.error(f"expected true or false, got {_shown(node)}")
    return node.value


def integer(node: Node, low: int | None = None, high: int | None = None) -> int:
    """A whole number within ``[low, high]``."""
    if isinstance(node.value, bool) or not isinstance(node.value, int):
        raise node.error(f"expected a whole number, got {_shown(node)}")
    if low is not None and node.value < low:
        raise node.error(f"{_shown_number(node.value)} is below the smallest allowed value {low}")
    if high is not None and node.value > high:
        raise node.error(f"{_shown_number(node.value)} is above the largest allowed value {high}")
    return node.value


def _shown_number(value: int) -> str:
    text = str(value)
    return text if len(text) <= 24 else f"{text[:12]}…({len(text)} digits)"


def number(
    node: Node, low=None, high=None, *, low_open=False, units: str = "", escape: str = ""
) -> float:
    """A finite number within ``[low, high]`` (``(low, high]`` with ``low_open``).

    ``escape`` is appended to a range error to say how to allow it (e.g. the
    ``allow_out_of_range`` key), or empty for hard limits.
    """
    value = node.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise node.error(f"expected a number, got {_shown(node)}")
    unit = f" {units}" if units else ""
    interval = f"{'(' if low_open else '['}{_format(low)}, {_format(high)}]{unit}"
    try:
        value = float(value)
    except OverflowError:  # an integer beyond the largest float (about 1.8e308)
        raise node.error(
            f"{_shown_number(value)} is too large to be a number (allowed: {interval})"
        ) from None
    if not math.isfinite(value):
        raise node.error(f"{value} is not a finite number (allowed: {interval})")
    below = low is not None and (value <= low if low_open else value < low)
    above = high is not None and value > high
    if below or above:
        raise node.error(f"{_format(value)}{unit} is outside the allowed range {interval}{escape}")
    return value


def _format(value) -> str:
    if value is None:
        return "…"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _shown(node: Node) -> str:
    value = node.plain()
    kind = {
        dict: "a mapping",
        list: "a list",
        bool: "a boolean",
        str: "a text",
        type(None): "nothing",
    }.get(type(value), type(value).__name__)
    shown = repr(value)
    return f"{kind} ({shown[:60]}{'…' if len(shown) > 60 else ''})" if value is not None else kind
