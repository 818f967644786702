"""Hard limits of the model's parameters, from their units and names.

A plausible range (the Vensim range in a constant's units field) says which values are
credible; ``allow_out_of_range: true`` lifts it. A hard limit says which values the model
can run at all: a time constant of zero divides by zero, a negative depreciation rate
creates capital, a share of 1.5 is not a share. Hard limits are never lifted.

The rule is read off each constant's units and name, so that a constant added to the
model gets its limit when ``tools/parameter_table.py`` regenerates
``models/parameters.csv`` (columns ``hard_low``, ``hard_high``, ``hard_rule``):

========== ================================ =============================================
rule       limit                            constants (units; words in the name)
========== ================================ =============================================
whole      a whole number in [low, high]    ``Rule`` (a choice among numbered options)
year       any finite number                year; ``Year``, ``Start``: a calendar date
time       > 0                              year; ``Time``, ``Duration``: divided by
span       >= 0                             year; other spans (``Ramp Years``, cycles;
                                            0 means "none")
growth     any finite number                1/year; ``Growth``, ``Drift``: may be negative
rate       >= 0                             1/year otherwise (depreciation, exit, gain …)
signed     any finite number                Dmnl; ``Elasticity``, shock ``Size``: the sign
                                            carries meaning
share      [0, 1]                           Dmnl; ``Share``, ``Fraction``, a weight of a
                                            mix, an index of confidence, credibility or
                                            social capital (0-1 by definition)
index      (0, 1]                           a share or index above named ``Initial`` or
                                            ``Reference`` (the model divides by it)
divisor    > 0                              ``Half Saturation``; amounts named ``Initial``
                                            or ``Reference`` (the model divides by them)
amount     >= 0                             person, firm, M€ … and other Dmnl constants
                                            (gains, sensitivities, multipliers, maxima)
========== ================================ =============================================
"""

from __future__ import annotations

import math

RULES = {
    "whole": "a whole number",
    "year": "a calendar year",
    "time": "a time constant, > 0",
    "span": "a span of years, >= 0",
    "growth": "a growth rate (any sign)",
    "rate": "a rate, >= 0",
    "share": "a share, in [0, 1]",
    "index": "a share or index the model divides by, in (0, 1]",
    "signed": "any finite number (the sign has a meaning)",
    "divisor": "> 0 (the model divides by it)",
    "amount": ">= 0",
}
"""Rule -> what it allows, in words (for messages)."""
_OPEN_LOW = {"time", "divisor", "index"}
_SHARE_WORDS = ("Share", "Fraction")
_INDEX_WORDS = ("Social Capital", "Credibility", "Confidence")
_NOT_INDEX_WORDS = ("Sensitivity", "Gain", "Time", "Elasticity", "Weight", "Rate", "Erosion")
_MIX_WEIGHTS = (
    "Public Goods Weight",
    "Weight in Brokerage",
    "Credibility Weight",
    "Segment Weight",
)


def rule_of(name: str, units: str) -> str:
    """The hard-limit rule of a constant named ``name`` (without cells) in ``units``."""
    units = (units or "").strip()
    words = f" {name} "
    if name.endswith(" Rule"):
        return "whole"
    if units == "year":
        if " Year " in words or " Start " in words or name.endswith(" Year"):
            return "year"
        if " Time " in words or " Duration " in words:
            return "time"
        if "Sensitivity" in name:
            return "amount"
        return "span"
    if units == "1/year":
        return "growth" if ("Growth" in name or "Drift" in name) else "rate"
    if "Half Saturation" in name:
        return "divisor"
    if units == "Dmnl":
        if "Elasticity" in name or name.endswith(" Size"):
            return "signed"
        divided = name.startswith(("Initial ", "Reference "))
        if any(w in name for w in _SHARE_WORDS) or any(w in name for w in _MIX_WEIGHTS):
            return "index" if divided else "share"
        if any(w in name for w in _INDEX_WORDS) and not any(w in name for w in _NOT_INDEX_WORDS):
            return "index" if divided else "share"
        return "divisor" if divided else "amount"
    if name.startswith(("Initial ", "Reference ")):
        return "divisor"
    return "amount"


def limits_of(rule: str, low: float = math.nan, high: float = math.nan) -> tuple[float, float]:
    """``(hard_low, hard_high)`` of a rule (NaN: no limit). ``whole`` takes the plausible
    range's ends as its limits (the options are numbered low..high)."""
    if rule == "whole":
        return low, high
    if rule in ("share", "index"):
        return 0.0, 1.0
    if rule in ("time", "span", "rate", "divisor", "amount"):
        return 0.0, math.nan
    return math.nan, math.nan


def violation(value: float, rule: str, hard_low: float, hard_high: float) -> str | None:
    """Why ``value`` breaks the hard limit, or None. NaN limits are absent."""
    if not math.isfinite(value):
        return "not a finite number"
    if rule == "whole" and value != int(value):
        return f"not a whole number ({RULES[rule]})"
    if not math.isnan(hard_low):
        below = value <= hard_low if rule in _OPEN_LOW else value < hard_low
        if below:
            return f"below the hard limit: {RULES[rule]}"
    if not math.isnan(hard_high) and value > hard_high:
        return f"above the hard limit: {RULES[rule]}"
    return None


def describe(rule: str, hard_low: float, hard_high: float) -> str:
    """The hard limit in words and symbols, e.g. ``a time constant, > 0``."""
    if rule == "whole":
        return f"a whole number in [{hard_low:g}, {hard_high:g}]"
    return RULES[rule]
