"""The validated, frozen form of a scenario file.

Every field is checked by :mod:`renaissance.scenarios.validation` before one of these
objects is built; after that nothing in a scenario can change. Units: years for times,
M€/year for budgets, fractions (Dmnl) for shares and shock sizes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ALLOCATIONS = {"place-based": 1, "place-blind": 2, "firm-level": 3}
"""Allocation keyword -> value of the model's ``Policy Allocation Rule``."""

SCALES = {"local": "Local", "regional": "Regional", "national": "National"}
"""Scale keyword -> element of the model's ``Scale`` range."""

SHOCK_HOOKS = {
    "world demand": "World Demand Shock",
    "district demand": "District Demand Shock",
    "low cost": "Low Cost Shock",
    "confidence": "Confidence Shock",
}
"""Shock kind -> prefix of the model's hook constants (``… Size``, ``… Start``,
``… Duration``)."""

INTEGRATORS = ("euler", "rk4", "RK45", "RK23", "DOP853", "LSODA", "BDF", "Radau")


@dataclass(frozen=True)
class Horizon:
    """Years reported and the integration step.

    The model's state is its 1991 calibration, so a run always starts at the model's
    INITIAL TIME; ``start`` is the first year reported.
    """

    start: float = 1991.0
    stop: float = 2050.0
    dt: float = 0.125
    saveper: float = 1.0


@dataclass(frozen=True)
class Targets:
    """Districts a policy or a district shock reaches (union of the lists; all if empty)."""

    everything: bool = True
    districts: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    archetypes: tuple[str, ...] = ()
    trajectories: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()


@dataclass(frozen=True)
class StopAndGo:
    """An on-off funding cycle: ``on_share`` of every ``cycle_years`` funded.

    The model scales the budget up during the on part, so that the money over a whole
    cycle equals the persistent budget (``Policy Stop Go Factor``).
    """

    cycle_years: float
    on_share: float = 0.5


@dataclass(frozen=True)
class Policy:
    """One instrument at one scale (the model has one set of levers per pair)."""

    instrument: str
    scale: str  # model element: Local, Regional or National
    budget: float  # M€/year once ramped up
    start: float = 2026.0
    end: float = 2051.0
    ramp: float = 2.0
    capture_share: float = 0.0
    allocation: str = "place-based"
    targets: Targets = field(default_factory=Targets)
    stop_and_go: StopAndGo | None = None


@dataclass(frozen=True)
class Shock:
    """A temporary change of one of the model's shock hooks (a PULSE of given size)."""

    variable: str  # a key of SHOCK_HOOKS
    start: float
    duration: float
    size: float
    targets: Targets = field(default_factory=Targets)


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: the model settings of one policy mix.

    ``parameters`` maps ``Name`` or ``Name[element,...]`` to a value; ``exogenous`` maps
    such names to a series as a tuple of ``(year, value)`` pairs (linear interpolation,
    held flat outside). ``files`` are the scenario file and the files it extends, with
    their SHA-256, child first.
    """

    name: str
    description: str
    path: Path | None
    horizon: Horizon
    integrator: str
    roster: str
    seed: int
    parameters: tuple[tuple[str, float], ...] = ()
    exogenous: tuple[tuple[str, tuple[tuple[float, float], ...]], ...] = ()
    shocks: tuple[Shock, ...] = ()
    policies: tuple[Policy, ...] = ()
    allow_out_of_range: bool = False
    extends: str | None = None
    files: tuple[tuple[str, str], ...] = ()
    model: Path | None = None

    @property
    def model_file(self) -> Path:
        """The ``.mdl`` file the scenario runs (``model:``; default the shipped model)."""
        from renaissance.paths import MODEL_FILE

        return self.model if self.model is not None else MODEL_FILE

    @property
    def total_budget(self) -> float:
        """Sum of the policies' yearly budgets once ramped up, M€/year."""
        return float(sum(p.budget for p in self.policies))

    @property
    def sha256(self) -> str:
        """SHA-256 of the scenario file itself ('' for a scenario built in code)."""
        return self.files[0][1] if self.files else ""
