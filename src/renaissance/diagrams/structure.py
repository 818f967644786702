"""The structure of a Vensim model, read from its equations: what the diagrams draw.

Every variable of the main section of PySD's ``AbstractModel`` is classified by its
equation (PySD delivers every ``=`` equation as an "Auxiliary", stocks included):

========== ==============================================================================
stock      ``INTEG(...)``
flow       a variable that a stock's ``INTEG`` adds or subtracts as a whole term
           (``INTEG(births - deaths, ...)``); each flow drains at most one stock and
           fills at most one
lookup     a lookup table (``name((x, y), ...)`` or ``GET ... LOOKUPS``)
constant   an equation that reads no other variable (numbers, ``GET ... CONSTANTS``)
data       a data variable (``:=``, ``GET ... DATA``)
auxiliary  everything else (``SMOOTH``, ``DELAY`` and other stateful functions too)
========== ==============================================================================

A *link* ``x -> y`` says that the equation of ``y`` reads ``x``; it is an *initial* link
when ``y`` reads ``x`` only for its initial value (the second argument of ``INTEG``,
``INITIAL(x)``, ...), which no feedback loop passes through. ``Time`` and the control
variables (``INITIAL TIME``, ``FINAL TIME``, ``TIME STEP``, ``SAVEPER``) are not drawn.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from renaissance.diagrams.sectors import DEFAULT_SECTOR, read_sectors
from renaissance.engine.names import normalize

CONTROL = ("initial_time", "final_time", "time_step", "saveper")
KINDS = ("stock", "flow", "auxiliary", "constant", "lookup", "data")
STATEFUL_INITIAL_FIELDS = {
    "IntegStructure": ("initial",),
    "DelayStructure": ("initial",),
    "DelayNStructure": ("initial",),
    "DelayFixedStructure": ("initial",),
    "SmoothStructure": ("initial",),
    "SmoothNStructure": ("initial",),
    "SampleIfTrueStructure": ("initial",),
    "TrendStructure": ("initial_trend",),
    "ForecastStructure": ("initial_trend",),
    "InitialStructure": ("initial",),
}
"""Fields of PySD's stateful structures that are read only at initialisation."""


@dataclass(frozen=True)
class Variable:
    """One model variable as the diagrams show it.

    Attributes
    ----------
    key : str
        Normalised name (lower case, spaces as ``_``), PySD's identity of the name.
    name : str
        The name as written in the ``.mdl`` file.
    kind : str
        One of :data:`KINDS`.
    sector : str
        The ``.mdl`` group the equation is written in.
    units, documentation : str
    dims : tuple of str
        Subscript ranges of the first equation's left-hand side (``("District",)``).
    """

    key: str
    name: str
    kind: str
    sector: str
    units: str = ""
    documentation: str = ""
    dims: tuple[str, ...] = ()


@dataclass(frozen=True)
class Link:
    """The equation of ``target`` reads ``source`` (normalised names)."""

    source: str
    target: str
    initial: bool = False
    """True when ``target`` reads ``source`` only to compute its initial value."""


@dataclass(frozen=True)
class StockFlows:
    """The pipes of one stock: named flows in and out, and what else its rate reads."""

    stock: str
    inflows: tuple[str, ...] = ()
    outflows: tuple[str, ...] = ()


@dataclass
class ModelStructure:
    """Variables, links and stocks of a model, with its sectors in file order.

    Attributes
    ----------
    path : pathlib.Path
    variables : dict
        Normalised name -> :class:`Variable`, in file order.
    links : list of Link
        Every dependency between two drawn variables (no self-links).
    stocks : dict
        Stock key -> :class:`StockFlows`.
    sectors : list of str
        Group names that hold at least one variable, in file order.
    """

    path: Path
    variables: dict[str, Variable]
    links: list[Link]
    stocks: dict[str, StockFlows]
    sectors: list[str] = field(default_factory=list)

    def sector_variables(self, sector: str) -> list[str]:
        """Keys of the variables written in ``sector`` (file order)."""
        return [k for k, v in self.variables.items() if v.sector == sector]

    def flow_ends(self) -> dict[str, tuple[str | None, str | None]]:
        """Flow key -> (stock it drains or None, stock it fills or None)."""
        ends: dict[str, list] = {}
        for stock in self.stocks.values():
            for flow in stock.outflows:
                ends.setdefault(flow, [None, None])[0] = stock.stock
            for flow in stock.inflows:
                ends.setdefault(flow, [None, None])[1] = stock.stock
        return {k: (v[0], v[1]) for k, v in ends.items()}

    def dynamic_links(self) -> list[Link]:
        """Links that feedback loops can pass through (not initial-value links)."""
        return [link for link in self.links if not link.initial]


def read_structure(path, abstract_model=None) -> ModelStructure:
    """Read the structure of the Vensim model in ``path``.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.mdl`` file.
    abstract_model : pysd AbstractModel, optional
        Its parse, when the caller has it already (else parsed, with the engine's cache).

    Returns
    -------
    ModelStructure
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"model file {str(path)!r} does not exist")
    if abstract_model is None:
        from renaissance.engine.model import read_abstract_model

        abstract_model = read_abstract_model(path)
    main = abstract_model.sections[0]
    sectors = read_sectors(path)
    elements = {normalize(e.name): e for e in main.elements if normalize(e.name) not in CONTROL}
    reads: dict[str, tuple[set[str], set[str]]] = {}
    for key, element in elements.items():
        dynamic, initial = set(), set()
        for component in element.components:
            _references(component.ast, dynamic, initial, at_initial=False)
        dynamic &= elements.keys()
        initial = (initial & elements.keys()) - dynamic
        dynamic.discard(key)
        initial.discard(key)
        reads[key] = (dynamic, initial)

    stocks, flow_terms = {}, {}
    for key, element in elements.items():
        roots = [c.ast for c in element.components]
        if roots and all(type(r).__name__ == "IntegStructure" for r in roots):
            flow_terms[key] = _flow_terms(roots[0].flow)
    taken_in, taken_out = set(), set()
    for key, terms in flow_terms.items():
        inflows, outflows = [], []
        for name, sign in terms or ():
            if name not in elements or name in flow_terms or name == key:
                continue
            taken = taken_in if sign > 0 else taken_out
            if name in taken:
                continue  # drawn on another stock's pipe; here an information link
            taken.add(name)
            (inflows if sign > 0 else outflows).append(name)
        stocks[key] = StockFlows(key, tuple(dict.fromkeys(inflows)), tuple(dict.fromkeys(outflows)))
    flows = {f for s in stocks.values() for f in (*s.inflows, *s.outflows)}

    variables = {}
    for key, element in elements.items():
        kind = _kind(element, key, stocks, flows, reads[key])
        lhs = element.components[0].subscripts[0] if element.components else []
        variables[key] = Variable(
            key=key,
            name=" ".join(element.name.split()),
            kind=kind,
            sector=sectors.get(key, DEFAULT_SECTOR),
            units=str(element.units or ""),
            documentation=str(element.documentation or ""),
            dims=tuple(lhs),
        )
    links = []
    for key, (dynamic, initial) in reads.items():
        links += [Link(source, key) for source in sorted(dynamic, key=list(elements).index)]
        links += [Link(source, key, True) for source in sorted(initial, key=list(elements).index)]
    order = list(dict.fromkeys(v.sector for v in variables.values()))
    return ModelStructure(path, variables, links, stocks, order)


def _kind(element, key, stocks, flows, reads) -> str:
    names = {type(c).__name__ for c in element.components}
    if key in stocks:
        return "stock"
    if key in flows:
        return "flow"
    if "AbstractLookup" in names:
        return "lookup"
    if "AbstractData" in names:
        return "data"
    if not reads[0] and not reads[1] and not _stateful(element):
        return "constant"
    return "auxiliary"


def _stateful(element) -> bool:
    found = []

    def visit(node):
        if type(node).__name__ in STATEFUL_INITIAL_FIELDS:
            found.append(node)
        for child in _children(node):
            visit(child)

    for component in element.components:
        visit(component.ast)
    return bool(found)


def _flow_terms(ast) -> list[tuple[str, int]] | None:
    """Whole terms of an INTEG rate that are plain references: ``[(key, +1 or -1)]``."""
    name = type(ast).__name__
    if name == "ReferenceStructure":
        return [(normalize(ast.reference), 1)]
    if name != "ArithmeticStructure":
        return []
    if ast.operators == ["negative"]:
        return [(k, -s) for k, s in _flow_terms(ast.arguments[0]) or ()]
    if not set(ast.operators) <= {"+", "-"}:
        return []
    terms = []
    signs = [1] + [1 if op == "+" else -1 for op in ast.operators]
    for sign, argument in zip(signs, ast.arguments, strict=True):
        if type(argument).__name__ == "ReferenceStructure":
            terms.append((normalize(argument.reference), sign))
        elif type(argument).__name__ == "ArithmeticStructure" and argument.operators == [
            "negative"
        ]:
            terms += [(k, -s * sign) for k, s in _flow_terms(argument.arguments[0]) or ()]
    return terms


def _children(node):
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        for item in dataclasses.fields(node):
            yield from _flatten(getattr(node, item.name))
    elif isinstance(node, tuple | list):
        yield from _flatten(node)


def _flatten(value):
    if isinstance(value, tuple | list):
        for item in value:
            yield from _flatten(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        yield value


def _references(node, dynamic: set, initial: set, at_initial: bool) -> None:
    """Collect the names an AST reads, at each step or only for an initial value."""
    name = type(node).__name__
    if name == "ReferenceStructure":
        (initial if at_initial else dynamic).add(normalize(node.reference))
    if name == "CallStructure" and normalize(node.function.reference) == "active_initial":
        _references(node.arguments[0], dynamic, initial, at_initial)
        _references(node.arguments[1], dynamic, initial, True)
        return
    initial_fields = STATEFUL_INITIAL_FIELDS.get(name, ())
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        for item in dataclasses.fields(node):
            value = getattr(node, item.name)
            if isinstance(value, np.ndarray | str | int | float):
                continue
            for child in _flatten(value):
                _references(child, dynamic, initial, at_initial or item.name in initial_fields)
