"""From stylised facts and Penn World Table series to calibration targets.

Each usable fact for the years up to 2008 becomes a :class:`Target`: a model output
(a level, a structure share, the sign of a change, or a parameter value) computed from a
simulation, with the range it must fall in. Facts that cannot be mapped, and facts about
the years after 2008 (the validation set, never fitted), are listed with the reason.
The mapping is documented, fact by fact, in ``docs/calibration.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from renaissance.calibration.facts import Fact
from renaissance.calibration.pwt import growth_rate

LAST_CALIBRATION_YEAR = 2008
"""Targets end here; later years are the validation test (issue 5)."""

SEGMENT_NUMBER = {"Person Goods": 1, "Home Goods": 2, "Mechanics": 3, "Food": 4}
"""Position of each segment in the model's Segment range (``District Segment Number``)."""

HUMAN_CAPITAL_YEARS = (1995, 2000, 2005, 2008)
"""Years at which the national human-capital index is compared with PWT ``hc``."""

HUMAN_CAPITAL_TOLERANCE = 0.01
"""Relative half-width of the human-capital ranges. Assumption: PWT ``hc`` rests on
Barro-Lee years of schooling and assumed returns; 1% is about two years of its rise."""

TFP_TOLERANCE = 0.006
"""Half-width (1/year) of the range of TFP growth 1995-2007 around PWT's -0.60% a year.
Assumption: PWT measures the whole economy, the model manufacturing only; the range
[-1.2%, 0.0%] a year says "stagnation or decline", not a precise rate."""

F03_TOLERANCE = 0.05
"""Relative half-width of the range put on F03 (no range in the table). Assumption: the
2001 count covers the 156 districts of ISTAT's 2001 method, the roster the 141 of the
2011 method (F04), so the two populations differ by a few percent."""

SIGN_MARGIN = 0.005
"""Relative change the fit asks of a sign target (half a percent), so that the optimum
does not sit exactly on zero; the report counts a sign as met when it is strictly right."""


@dataclass(frozen=True)
class Target:
    """A calibration or validation target.

    Attributes
    ----------
    id : str
        Fact code (``"F07"``) or a derived code (``"PWT-hc-2000"``, ``"F09-fading"``).
    description : str
        What is compared, in words.
    kind : {"level", "structure", "sign", "parameter"}
        How the range is read: a level or share between ``low`` and ``high``; the sign of
        a relative change (``low``/``high`` are ``0``/``inf`` or ``-inf``/``0``); a
        parameter value.
    observed : float
        The observed value (for a sign, +1 or -1).
    low, high : float
        Range the simulated value must fall in (may be infinite on one side).
    unit : str
        Unit of the simulated and observed values.
    source : str
        Where the observed value and range come from.
    variables : tuple of str
        Model variables the computation reads.
    compute : callable
        ``compute(dataset) -> numpy.ndarray`` of shape (member,): the simulated value of
        every member of an ensemble result.
    weight : float
        Weight in the fit (1 by default).
    """

    id: str
    description: str
    kind: str
    observed: float
    low: float
    high: float
    unit: str
    source: str
    variables: tuple[str, ...]
    compute: Callable[[xr.Dataset], np.ndarray] = field(repr=False)
    weight: float = 1.0

    @property
    def scale(self) -> float:
        """Normalisation of the distance from the range (half-width, or a 5% change)."""
        if np.isfinite(self.low) and np.isfinite(self.high):
            return max((self.high - self.low) / 2, 1e-12)
        return 0.05

    def inside(self, simulated: np.ndarray) -> np.ndarray:
        """Whether simulated values fall in the range (strictly, for signs)."""
        simulated = np.asarray(simulated, dtype=float)
        if self.kind == "sign":
            return np.sign(simulated) == np.sign(self.observed)
        return (simulated >= self.low) & (simulated <= self.high)

    def violation(self, simulated: np.ndarray) -> np.ndarray:
        """Distance outside the range in units of :attr:`scale` (0 inside)."""
        simulated = np.asarray(simulated, dtype=float)
        if self.kind == "sign":
            gap = SIGN_MARGIN - np.sign(self.observed) * simulated
            return np.maximum(0.0, gap) / self.scale
        below = np.maximum(0.0, self.low - simulated)
        above = np.maximum(0.0, simulated - self.high)
        return (below + above) / self.scale


@dataclass(frozen=True)
class Unmapped:
    """A fact that is not a calibration target, with the reason."""

    id: str
    quantity: str
    period: str
    role: str
    reason: str


# --- computations on ensemble results -----------------------------------------------------


def _member(values: xr.DataArray) -> xr.DataArray:
    return values if "member" in values.dims else values.expand_dims(member=1)


def _at(dataset: xr.Dataset, name: str, year: float) -> xr.DataArray:
    return _member(dataset[name].sel(time=year, method="nearest"))


def _value_at(name: str, year: float) -> Callable[[xr.Dataset], np.ndarray]:
    def compute(dataset: xr.Dataset) -> np.ndarray:
        return _at(dataset, name, year).values.reshape(-1)

    return compute


def _relative_change(name: str, start: float, stop: float) -> Callable:
    def compute(dataset: xr.Dataset) -> np.ndarray:
        first, last = _at(dataset, name, start), _at(dataset, name, stop)
        return (last / first - 1.0).values.reshape(-1)

    return compute


def _segment_employment_change(segment: str, start: float, stop: float) -> Callable:
    def compute(dataset: xr.Dataset) -> np.ndarray:
        in_segment = (
            _member(dataset["District Segment Number"].isel(time=0)) == (SEGMENT_NUMBER[segment])
        )
        employment = dataset["District Manufacturing Employment"]
        first = (_at(dataset, "District Manufacturing Employment", start) * in_segment).sum(
            "District"
        )
        last = (_member(employment.sel(time=stop, method="nearest")) * in_segment).sum("District")
        return (last / first - 1.0).values.reshape(-1)

    return compute


def _weighted_premium(dataset: xr.Dataset) -> xr.DataArray:
    """Employment-weighted mean district productivity premium, dims (time, member)."""
    premium = _member(dataset["District Productivity Premium"])
    employment = _member(dataset["District Manufacturing Employment"])
    return (premium * employment).sum("District") / employment.sum("District")


def _mean_premium(start: float, stop: float) -> Callable:
    def compute(dataset: xr.Dataset) -> np.ndarray:
        premium = _weighted_premium(dataset).sel(time=slice(start, stop))
        return premium.mean("time").values.reshape(-1)

    return compute


def _premium_change(start: float, stop: float) -> Callable:
    def compute(dataset: xr.Dataset) -> np.ndarray:
        premium = _weighted_premium(dataset)
        first = premium.sel(time=start, method="nearest")
        last = premium.sel(time=stop, method="nearest")
        return (last / first - 1.0).values.reshape(-1)

    return compute


TFP_VARIABLES = (
    "District Value Added",
    "Non District Value Added",
    "Technical Capital",
    "Non District Technical Capital",
    "National Manufacturing Employment",
    "National Human Capital Index",
)


def manufacturing_tfp(dataset: xr.Dataset, labour_share: float) -> xr.DataArray:
    """Growth-accounting TFP of national manufacturing, as PWT measures it.

    ``Y / (K^(1 - s) (h L)^s)`` with Y the value added of the districts and of
    manufacturing outside them (M€/year), K their technical capital (M€), L national
    manufacturing employment (persons), h the national human-capital index and s the
    labour share (PWT ``labsh``), as in Feenstra et al. (2015) §IV.

    Returns
    -------
    xarray.DataArray
        Dims (time, member); the scale is arbitrary, only growth rates are compared.
    """
    output = _member(dataset["District Value Added"]).sum("District") + _member(
        dataset["Non District Value Added"]
    )
    capital = _member(dataset["Technical Capital"]).sum("District") + _member(
        dataset["Non District Technical Capital"]
    )
    labour = _member(dataset["National Manufacturing Employment"]) * _member(
        dataset["National Human Capital Index"]
    )
    return output / (capital ** (1 - labour_share) * labour**labour_share)


def _tfp_growth(labour_share: float, start: int, stop: int) -> Callable:
    def compute(dataset: xr.Dataset) -> np.ndarray:
        tfp = manufacturing_tfp(dataset, labour_share)
        ratio = tfp.sel(time=stop, method="nearest") / tfp.sel(time=start, method="nearest")
        return (np.log(ratio) / (stop - start)).values.reshape(-1)

    return compute


def _tfp_slowdown(labour_share: float) -> Callable:
    early = _tfp_growth(labour_share, 1991, 1995)
    late = _tfp_growth(labour_share, 1995, 2007)

    def compute(dataset: xr.Dataset) -> np.ndarray:
        return late(dataset) - early(dataset)

    return compute


def _parameter(name: str) -> Callable:
    def compute(dataset: xr.Dataset) -> np.ndarray:
        return _member(dataset[name].isel(time=0)).values.reshape(-1)

    return compute


# --- the mapping ----------------------------------------------------------------------------

PARAMETER_FACTS = {
    "F13": "Technical Capital Depreciation Rate",
    "F15": "Human Capital Depreciation Rate",
    "F18": "Export Price Elasticity",
}
"""Parameter facts and the model constant each one sets."""

UNMAPPED_REASONS = {
    "F01": "count of districts under ISTAT's 1991 method; the roster is fixed, districts "
    "are neither created nor dissolved in the model",
    "F02": "count of districts under ISTAT's 2001 method; the roster is fixed",
    "F04": "used to build the national roster (141 districts), an input, not an output",
    "F10": "no output for the productivity of urban (city) firms; urban clusters enter "
    "only as protection of the district premium (Urban Premium Protection)",
    "F14": "the model has no R&D knowledge stock to depreciate",
    "F16": "the model has no aggregate capital stock with structures; machinery "
    "depreciation is F13",
    "F19": "exogenous input of the historical scenario (Great Trade Collapse Depth)",
    "F20": "exogenous input of the historical scenario (WTO Accession Year)",
    "F21": "policy history: network contracts in scenarios/history.yaml",
    "F22": "the model has an offshored share, not a count of re-shoring cases; period after 2008",
    "F25": "the model has no change of specialisation (docs/model.md §8, item 11)",
    "F29": "business groups are not represented (firms are counted one by one)",
}
"""Facts that are neither targets nor validation checks, and why."""

VALIDATION_FACTS = ("F05", "F06", "F11", "F12", "F17", "F26", "F27", "F28")
"""Facts about the years after 2008: reported in docs/validation.md, never fitted."""


def calibration_targets(facts: list[Fact], pwt) -> tuple[list[Target], list[Unmapped]]:
    """Map the facts and the PWT series to calibration targets.

    Parameters
    ----------
    facts : list of Fact
        From :func:`renaissance.calibration.facts.read_facts`.
    pwt : pandas.DataFrame
        Italy's series from :func:`renaissance.calibration.pwt.read_pwt`.

    Returns
    -------
    targets : list of Target
        Calibration targets for the years up to 2008 (facts F03, F07, F08, F09, F13, F15,
        F18, F23, F24 when present, and the PWT human-capital path and TFP stagnation).
    unmapped : list of Unmapped
        Every other fact with the reason (input, validation only, or not representable).
    """
    targets: list[Target] = []
    unmapped: list[Unmapped] = []
    for fact in facts:
        made = _fact_targets(fact)
        if made:
            targets.extend(made)
        elif fact.id in VALIDATION_FACTS:
            unmapped.append(
                Unmapped(
                    fact.id,
                    fact.quantity,
                    fact.period,
                    "validation",
                    "period after 2008 (or a rate measured after 2008): a test of the "
                    "model in docs/validation.md, not a calibration target",
                )
            )
        else:
            reason = UNMAPPED_REASONS.get(fact.id, "no model output corresponds to it")
            role = "input" if fact.use in ("input", "policy-lever trajectory") else "not mapped"
            unmapped.append(Unmapped(fact.id, fact.quantity, fact.period, role, reason))
    targets.extend(_pwt_targets(pwt))
    return targets, unmapped


def _fact_targets(fact: Fact) -> list[Target]:
    common = {"unit": fact.unit, "source": f"{fact.id}: {fact.source}"}
    if fact.id == "F03":
        value = float(fact.value)
        return [
            Target(
                "F03",
                "total district manufacturing employment in 2001 (national roster)",
                "level",
                value,
                value * (1 - F03_TOLERANCE),
                value * (1 + F03_TOLERANCE),
                variables=("Total District Manufacturing Employment",),
                compute=_value_at("Total District Manufacturing Employment", 2001),
                **common,
            )
        ]
    if fact.id == "F07":
        return [
            Target(
                "F07",
                "national manufacturing employment in 2007",
                "level",
                float(fact.value),
                fact.low,
                fact.high,
                variables=("National Manufacturing Employment",),
                compute=_value_at("National Manufacturing Employment", 2007),
                **common,
            )
        ]
    if fact.id == "F08":
        return [
            Target(
                "F08",
                "relative change of national manufacturing employment 2001-2007",
                "sign",
                -1.0,
                -np.inf,
                0.0,
                unit="fraction",
                source=common["source"],
                variables=("National Manufacturing Employment",),
                compute=_relative_change("National Manufacturing Employment", 2001, 2007),
            )
        ]
    if fact.id == "F09":
        return [
            Target(
                "F09",
                "employment-weighted mean district productivity premium 1995-2006",
                "level",
                float(fact.value),
                fact.low,
                fact.high,
                variables=("District Productivity Premium", "District Manufacturing Employment"),
                compute=_mean_premium(1995, 2006),
                **common,
            ),
            Target(
                "F09-fading",
                "relative change of the mean premium 2001-2006 (fading)",
                "sign",
                -1.0,
                -np.inf,
                0.0,
                unit="fraction",
                source=common["source"],
                variables=("District Productivity Premium", "District Manufacturing Employment"),
                compute=_premium_change(2001, 2006),
            ),
        ]
    if fact.id in ("F23", "F24"):
        segment = "Mechanics" if fact.id == "F23" else "Person Goods"
        sign = float(fact.sign)
        return [
            Target(
                fact.id,
                f"relative change of {segment.lower()} district employment 1993-2008",
                "sign",
                sign,
                0.0 if sign > 0 else -np.inf,
                np.inf if sign > 0 else 0.0,
                unit="fraction",
                source=common["source"],
                variables=("District Manufacturing Employment", "District Segment Number"),
                compute=_segment_employment_change(segment, 1993, 2008),
            )
        ]
    if fact.id in PARAMETER_FACTS:
        name = PARAMETER_FACTS[fact.id]
        return [
            Target(
                fact.id,
                f"parameter {name}",
                "parameter",
                float(fact.value),
                fact.low,
                fact.high,
                variables=(name,),
                compute=_parameter(name),
                **common,
            )
        ]
    return []


def _pwt_targets(pwt) -> list[Target]:
    source = "Penn World Table 9.1 (Feenstra et al. 2015), Italy"
    targets = []
    for year in HUMAN_CAPITAL_YEARS:
        observed = float(pwt["hc"].loc[year])
        targets.append(
            Target(
                f"PWT-hc-{year}",
                f"national human-capital index in {year}",
                "level",
                observed,
                observed * (1 - HUMAN_CAPITAL_TOLERANCE),
                observed * (1 + HUMAN_CAPITAL_TOLERANCE),
                unit="index (PWT hc)",
                source=f"{source}, hc",
                variables=("National Human Capital Index",),
                compute=_value_at("National Human Capital Index", year),
            )
        )
    labour_share = float(pwt["labsh"].loc[1995:2007].mean())
    late = growth_rate(pwt["rtfpna"], 1995, 2007)
    early = growth_rate(pwt["rtfpna"], 1991, 1995)
    targets.append(
        Target(
            "PWT-tfp-1995-2007",
            "growth of manufacturing TFP 1995-2007 (growth "
            f"accounting, labour share {labour_share:.3f})",
            "level",
            late,
            late - TFP_TOLERANCE,
            late + TFP_TOLERANCE,
            unit="1/year",
            source=f"{source}, rtfpna and labsh",
            variables=TFP_VARIABLES,
            compute=_tfp_growth(labour_share, 1995, 2007),
        )
    )
    exports = pwt["csh_x"] * pwt["rgdpna"]
    export_growth = float(exports.loc[2007] / exports.loc[1991] - 1)
    targets.append(
        Target(
            "PWT-exports-1991-2007",
            "relative change of national manufacturing exports 1991-2007 (kept pace)",
            "sign",
            1.0,
            0.0,
            np.inf,
            unit="fraction",
            source=(
                "seed 001 §2: up to 2007 Italian manufacturing kept pace with France, "
                "Germany and the United Kingdom in exports (Coltorti 2012); PWT 9.1 "
                f"csh_x × rgdpna, Italy, {export_growth:+.2f} (a current-PPP share times "
                "real GDP: a sign, not a volume)"
            ),
            variables=("National Manufacturing Exports",),
            compute=_relative_change("National Manufacturing Exports", 1991, 2007),
        )
    )
    targets.append(
        Target(
            "PWT-tfp-slowdown",
            "TFP growth 1995-2007 minus TFP growth 1991-1995",
            "sign",
            -1.0,
            -np.inf,
            0.0,
            unit="1/year",
            source=f"{source}, rtfpna ({early:+.4f} then {late:+.4f} a year)",
            variables=TFP_VARIABLES,
            compute=_tfp_slowdown(labour_share),
        )
    )
    return targets
