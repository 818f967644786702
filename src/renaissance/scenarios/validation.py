"""Turn a merged scenario document into a frozen :class:`~renaissance.scenarios.schema.Scenario`.

Names are checked against the model and the scenario's roster
(:mod:`renaissance.scenarios.vocabulary`); numbers against the model's plausible ranges
(the parameter table), which ``allow_out_of_range: true`` lifts for ``parameters`` and
``exogenous``, and against hard limits, which nothing lifts: a parameter's limits from
its units and name (:mod:`renaissance.hard_limits`: a zero time constant, a negative
rate, a share above 1), and those of the keys (a negative budget).
"""

from __future__ import annotations

import math
from pathlib import Path

from renaissance import hard_limits
from renaissance.engine.params import split_cell
from renaissance.limits import current_limits
from renaissance.roster import ROSTERS
from renaissance.safe_names import name_problem
from renaissance.scenarios import checks
from renaissance.scenarios.inheritance import POLICY_KEYS, SHOCK_KEYS
from renaissance.scenarios.nodes import Node
from renaissance.scenarios.schema import (
    ALLOCATIONS,
    INTEGRATORS,
    SCALES,
    SHOCK_HOOKS,
    Horizon,
    Policy,
    Scenario,
    Shock,
    StopAndGo,
    Targets,
)
from renaissance.scenarios.vocabulary import LEVER_PREFIXES, Vocabulary, vocabulary

MAX_SEED = 2**63 - 1
"""Largest seed: seeds are stored as 64-bit signed integers in the results."""
MODEL_START = 1991.0
"""INITIAL TIME of the model: every run starts from its 1991 calibration."""
LATEST_YEAR = 2100.0
"""Last year a horizon may reach (the drivers are not meant for longer)."""

_ESCAPE = " (set allow_out_of_range: true to use it anyway)"
_TARGET_KEYS = {
    "districts": ("district", "district"),
    "regions": ("region", "region"),
    "archetypes": ("archetype", "archetype (GVC model)"),
    "trajectories": ("trajectory", "trajectory"),
    "segments": ("segment", "segment"),
}


def build_scenario(root: Node, files: list) -> Scenario:
    """Validate the merged document ``root`` (from :func:`inheritance.read_chain`)."""
    top = checks.mapping(root, root.value.keys(), required=("name", "description"))
    name = _name(top["name"])
    description = checks.text(top["description"])
    roster = _roster(top.get("roster"))
    model = _model(top.get("model"))
    words = vocabulary(roster) if model is None else _model_vocabulary(top["model"], roster, model)
    allow = checks.boolean(top["allow_out_of_range"]) if "allow_out_of_range" in top else False
    horizon = _horizon(top.get("horizon"))
    integrator = (
        checks.text(top["integrator"], INTEGRATORS, "integrator")
        if "integrator" in top
        else "euler"
    )
    seed = checks.integer(top["seed"], low=0, high=MAX_SEED) if "seed" in top else 0
    parameters = _parameters(top.get("parameters"), words, allow)
    exogenous = _exogenous(
        top.get("exogenous"), words, allow, {split_cell(k)[0] for k, _ in parameters}
    )
    shocks = _shocks(top.get("shocks"), words, horizon)
    policies = _policies(top.get("policies"), words, horizon)
    path = Path(files[0][0]) if files else None
    extends = checks.text(top["extends"]) if "extends" in top else None
    return Scenario(
        name=name,
        description=description,
        path=path,
        horizon=horizon,
        integrator=integrator,
        roster=roster,
        seed=seed,
        parameters=parameters,
        exogenous=exogenous,
        shocks=shocks,
        policies=policies,
        allow_out_of_range=allow,
        extends=extends,
        files=tuple(files),
        model=model,
    )


def _name(node: Node) -> str:
    """The scenario's name: it names result files, so it must be a safe file name."""
    if isinstance(node.value, str):
        problem = name_problem(node.value.strip())
        if problem is not None and node.value.strip():
            raise node.error(f"{node.value!r}: {problem}")
    return checks.text(node)


def _model(node: Node | None) -> Path | None:
    """``model:``: a Vensim ``.mdl`` file, relative to the scenario file that names it."""
    if node is None:
        return None
    value = checks.text(node)
    path = Path(value)
    if not path.is_absolute():
        path = node.file.parent / path
    if path.suffix.lower() != ".mdl":
        raise node.error(f"model {value!r} is not a Vensim .mdl file (the name must end in .mdl)")
    if not path.is_file():
        raise node.error(f"model {value!r}: no such file ({path})")
    return path.resolve()


def _model_vocabulary(node: Node, roster: str, model: Path) -> Vocabulary:
    """The vocabulary of a scenario's own model, or an error naming the key and file."""
    try:
        return vocabulary(roster, model)
    except (ValueError, KeyError, SyntaxError, OSError) as error:  # the parser's errors
        raise node.error(f"model {model.name!r} cannot be read as a model: {error}") from None


def _roster(node: Node | None) -> str:
    if node is None:
        return "showcase"
    value = checks.text(node)
    if value in ROSTERS:
        return value
    folder = Path(value)
    if not folder.is_absolute():
        folder = node.file.parent / folder
    missing = [n for n in ("districts.csv", "regions.csv") if not (folder / n).is_file()]
    if missing:
        raise node.error(
            f"roster {value!r} is neither {' nor '.join(map(repr, ROSTERS))} nor a folder "
            f"with districts.csv and regions.csv (missing in {folder}: {', '.join(missing)})"
        )
    return str(folder.resolve())


def _horizon(node: Node | None) -> Horizon:
    default = Horizon()
    if node is None:
        return default
    fields = checks.mapping(node, ("start", "stop", "dt", "saveper"))
    start = (
        checks.number(fields["start"], MODEL_START, LATEST_YEAR, units="year")
        if "start" in fields
        else default.start
    )
    stop = (
        checks.number(fields["stop"], MODEL_START, LATEST_YEAR, units="year")
        if "stop" in fields
        else default.stop
    )
    if stop <= start:
        raise (fields.get("stop") or node).error(
            f"stop ({stop:g}) must be after start ({start:g})", None
        )
    span = stop - MODEL_START
    dt = (
        checks.number(fields["dt"], 0.0, span, low_open=True, units="year")
        if "dt" in fields
        else default.dt
    )
    steps = span / dt
    limit = current_limits().max_steps
    if steps > limit:
        raise fields["dt"].error(
            f"dt {dt:g} year gives {steps:.3g} steps from {MODEL_START:g} to {stop:g}; at most "
            f"{limit:,} are allowed (a run of that many would not finish in reasonable time): "
            f"use dt >= {span / limit:.3g}, or raise the limit with --max-steps"
        )
    saveper = (
        checks.number(fields["saveper"], dt, stop - start, units="year")
        if "saveper" in fields
        else max(default.saveper, dt)
    )
    if abs(saveper / dt - round(saveper / dt)) > 1e-9:
        raise fields["saveper"].error(f"saveper ({saveper:g}) must be a multiple of dt ({dt:g})")
    if (
        "start" in fields
        and abs((start - MODEL_START) / saveper - round((start - MODEL_START) / saveper)) > 1e-9
    ):
        raise fields["start"].error(
            f"start ({start:g}) must fall on a save time: {MODEL_START:g} plus a multiple of "
            f"saveper ({saveper:g})"
        )
    return Horizon(start, stop, dt, saveper)


def _cell_name(node: Node, key: str, words: Vocabulary, what: str):
    """Split ``Name[a,b]`` and check the name and the elements: (name, cell or None)."""
    name, inner = split_cell(key)
    cell = None if inner is None else tuple(inner.split(","))
    if name not in words.variables:
        raise node.error(f"unknown {what} {name!r}{checks.suggestion(name, words.variables)}")
    dims = words.variables[name]
    if cell is not None:
        if len(cell) != len(dims):
            raise node.error(
                f"{name!r} has {len(dims)} subscript(s) ({', '.join(dims) or 'none'}); "
                f"[{', '.join(cell)}] gives {len(cell)}"
            )
        for element, dim in zip(cell, dims, strict=True):
            allowed = words.ranges.get(dim, (dim,))
            if element not in allowed:
                raise node.error(
                    f"{element!r} is not an element of {dim}{checks.suggestion(element, allowed)}"
                    f" (allowed: {', '.join(allowed)})"
                )
    return name, cell, dims


def _reserved(node: Node, name: str) -> None:
    """Refuse names set through ``policies:`` or ``shocks:``."""
    if name.startswith(LEVER_PREFIXES):
        raise node.error(f"{name!r} is a policy lever: write it under policies")
    for kind, hook in SHOCK_HOOKS.items():
        if name.startswith(hook):
            raise node.error(f"{name!r} is a shock hook: write it under shocks (variable: {kind})")


def _in_range(node: Node, words: Vocabulary, name: str, dims, cell, allow: bool) -> float:
    """A finite number within the hard limits of ``name`` (never lifted) and within the
    parameter table's plausible range (unless ``allow`` or the table gives no range)."""
    low, high, units = words.range_of(name, dims, cell)
    value = checks.number(node, units=units)
    rule, hard_low, hard_high = words.hard_limit_of(name, dims, cell)
    broken = hard_limits.violation(value, rule, hard_low, hard_high)
    if broken is not None:
        raise node.error(
            f"{value:g}{' ' + units if units else ''} is {broken} for {name!r}; no model run "
            "can use it (allow_out_of_range does not lift hard limits)"
        )
    return checks.number(
        node,
        None if allow or math.isnan(low) else low,
        None if allow or math.isnan(high) else high,
        units=units,
        escape=_ESCAPE,
    )


def _whole_or_cells(node: Node, seen: dict, name: str, key: str) -> None:
    """Refuse a variable given both as a whole and by cells in one section."""
    for other in seen.setdefault(name, []):
        if (split_cell(other)[1] is None) != (split_cell(key)[1] is None):
            raise node.error(
                f"{name!r} is given both as a whole and by cell ({other!r} and {key!r}); "
                "give either one value for every cell or values per cell"
            )
    seen[name].append(key)


def _parameters(node: Node | None, words: Vocabulary, allow: bool):
    if node is None:
        return ()
    out, seen = [], {}
    for key, value in checks.mapping(node, _AnyKey()).items():
        name, cell, dims = _cell_name(value, str(key), words, "parameter")
        _reserved(value, name)
        if name not in words.constants:
            raise value.error(
                f"{name!r} is computed by the model, not a constant; to replace it with a "
                "series over time, write it under exogenous"
            )
        _whole_or_cells(value, seen, name, str(key).strip())
        out.append((str(key).strip(), _in_range(value, words, name, dims, cell, allow)))
    return tuple(out)


def _exogenous(node: Node | None, words: Vocabulary, allow: bool, parameter_names=()):
    if node is None:
        return ()
    out, seen = [], {}
    for key, series in checks.mapping(node, _AnyKey()).items():
        name, cell, dims = _cell_name(series, str(key), words, "variable")
        _reserved(series, name)
        if cell is not None and name not in words.constants:
            raise series.error(
                f"a series for one cell needs a constant; {name!r} is computed by the model, "
                "so give a series for the whole variable (no [cell])"
            )
        if name in parameter_names:
            raise series.error(f"{name!r} is also under parameters; set it in one place")
        _whole_or_cells(series, seen, name, str(key).strip())
        points = checks.mapping(series, _AnyKey())
        if not points:
            raise series.error("a series needs at least one year: value pair")
        pairs = []
        for year, value in points.items():
            if (
                isinstance(year, bool)
                or not isinstance(year, (int, float))
                or not math.isfinite(year)
            ):
                raise value.error(f"expected a year as the key, got {year!r}")
            pairs.append((float(year), _in_range(value, words, name, dims, cell, allow)))
        pairs.sort()
        out.append((str(key).strip(), tuple(pairs)))
    return tuple(out)


def _targets(node: Node | None, words: Vocabulary) -> Targets:
    if node is None:
        return Targets()
    if node.value == "all":
        return Targets()
    if not isinstance(node.value, dict):
        raise node.error(
            "targets must be 'all' or a mapping with any of "
            f"{', '.join(_TARGET_KEYS)} (each a list of names)"
        )
    fields = checks.mapping(node, _TARGET_KEYS)
    chosen = {}
    for key, (column, what) in _TARGET_KEYS.items():
        if key not in fields:
            continue
        items = fields[key]
        names = [items] if isinstance(items.value, str) else checks.sequence(items)
        allowed = (
            words.districts
            if key == "districts"
            else words.regions
            if key == "regions"
            else words.column_values(column)
        )
        chosen[key] = tuple(checks.text(n, allowed, what) for n in names)
    targets = Targets(everything=False, **chosen)
    if not reached_districts(targets, words):
        raise node.error("these targets reach no district of the roster")
    return targets


def reached_districts(targets: Targets, words: Vocabulary) -> tuple[str, ...]:
    """Districts of the roster a :class:`Targets` reaches, in roster order."""
    table = words.roster_table
    if targets.everything:
        return tuple(table["district"].astype(str))
    mask = table["district"].isin(targets.districts)
    mask |= table["region"].isin(targets.regions)
    mask |= table["archetype"].isin(targets.archetypes)
    mask |= table["trajectory"].isin(targets.trajectories)
    mask |= table["segment"].isin(targets.segments)
    return tuple(table.loc[mask, "district"].astype(str))


def _shocks(node: Node | None, words: Vocabulary, horizon: Horizon):
    if node is None:
        return ()
    shocks, seen = [], {}
    for entry in checks.sequence(node):
        fields = checks.mapping(entry, SHOCK_KEYS, required=("variable", "start", "size"))
        kind = checks.text(fields["variable"], tuple(SHOCK_HOOKS), "shock variable")
        if kind in seen:
            raise entry.error(
                f"a second {kind!r} shock: the model has one hook per kind "
                f"(the first is at {seen[kind]})"
            )
        seen[kind] = entry.path
        hook = SHOCK_HOOKS[kind]
        start = checks.number(fields["start"], MODEL_START, horizon.stop, units="year")
        low, high, _ = words.range_of(f"{hook} Duration", (), None)
        duration = (
            checks.number(fields["duration"], low, high, units="year")
            if "duration" in fields
            else 1.0
        )
        low, high, _ = words.range_of(
            f"{hook} Size", ("District",) if kind == "district demand" else (), None
        )
        size = checks.number(fields["size"], low, high, units="fraction")
        if "targets" in fields and kind != "district demand":
            raise fields["targets"].error(
                f"only a district demand shock has targets; a {kind} shock hits every district"
            )
        targets = _targets(fields.get("targets"), words)
        shocks.append(Shock(kind, start, duration, size, targets))
    return tuple(shocks)


def _policies(node: Node | None, words: Vocabulary, horizon: Horizon | None = None):
    if node is None:
        return ()
    policies, seen = [], {}
    for entry in checks.sequence(node):
        fields = checks.mapping(entry, POLICY_KEYS, required=("instrument", "scale", "budget"))
        instrument = checks.text(fields["instrument"], words.instruments, "instrument")
        scale = SCALES[checks.text(fields["scale"], tuple(SCALES), "scale")]
        if (instrument, scale) in seen:
            raise entry.error(
                f"a second policy for {instrument} at scale {scale.lower()}: the model has one "
                f"set of levers per instrument and scale (the first is {seen[instrument, scale]})"
            )
        seen[instrument, scale] = entry.path
        budget = checks.number(fields["budget"], 0.0, 5000.0, units="M€/year")
        start = (
            checks.number(
                fields["start"],
                MODEL_START,
                2050.0 if horizon is None else min(2050.0, horizon.stop),
                units="year",
            )
            if "start" in fields
            else 2026.0
        )
        end = (
            checks.number(fields["end"], MODEL_START, 2051.0, units="year")
            if "end" in fields
            else 2051.0
        )
        if end <= start:
            raise (fields.get("end") or entry).error(
                f"end ({end:g}) must be after start ({start:g})"
            )
        ramp = checks.number(fields["ramp"], 0.0, 10.0, units="year") if "ramp" in fields else 2.0
        capture = (
            checks.number(fields["capture_share"], 0.0, 0.9) if "capture_share" in fields else 0.0
        )
        allocation = (
            checks.text(fields["allocation"], tuple(ALLOCATIONS), "allocation")
            if "allocation" in fields
            else "place-based"
        )
        cycle = None
        if "stop_and_go" in fields:
            cycle_fields = checks.mapping(
                fields["stop_and_go"], ("cycle_years", "on_share"), required=("cycle_years",)
            )
            cycle = StopAndGo(
                checks.number(cycle_fields["cycle_years"], 0.0, 20.0, low_open=True, units="year"),
                checks.number(cycle_fields["on_share"], 0.1, 1.0)
                if "on_share" in cycle_fields
                else 0.5,
            )
        policies.append(
            Policy(
                instrument,
                scale,
                budget,
                start,
                end,
                ramp,
                capture,
                allocation,
                _targets(fields.get("targets"), words),
                cycle,
            )
        )
    return tuple(policies)


class _AnyKey:
    """Allowed-keys stand-in for mappings whose keys are names checked one by one."""

    def __contains__(self, key) -> bool:
        return True

    def __iter__(self):
        return iter(())
