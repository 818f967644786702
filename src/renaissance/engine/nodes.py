"""Compiled expression nodes: a closure over the run environment plus named dims.

Every value the engine handles at run time is a numpy array whose first axis is the
ensemble axis (length E, or 1 when the value is the same for every member) followed by
one axis per named subscript dim, in the order given by ``Node.dims``. An axis may have
length 1 where the value does not vary along it (numpy broadcasting). Literal numbers
stay Python floats (``Node.value``) so that arithmetic on constants folds at compile
time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

Env = dict
"""Run environment: variable key -> array of shape ``(E or 1, *dim sizes)``."""

Fn = Callable[[Env], np.ndarray]


@dataclass(frozen=True)
class Node:
    """One compiled sub-expression.

    Attributes
    ----------
    fn : callable or None
        ``fn(env) -> ndarray`` of shape ``(E or 1, *sizes)``; None for a literal.
    dims : tuple of str
        Names of the subscript axes after the ensemble axis.
    value : float or None
        The literal value when the node is a compile-time constant number.
    step_deps, init_deps : frozenset of str
        Keys of the variables read while stepping and while initialising.
    cost : int
        0 for a plain read of the environment, 1 for anything that computes.
    """

    fn: Fn | None
    dims: tuple[str, ...] = ()
    value: float | None = None
    step_deps: frozenset[str] = field(default_factory=frozenset)
    init_deps: frozenset[str] = field(default_factory=frozenset)
    cost: int = 1

    @property
    def is_literal(self) -> bool:
        return self.fn is None


class Hoister:
    """Moves sub-expressions that cannot change during a run out of the step loop.

    A node is static when everything it reads is static (constants, INITIAL values,
    expressions of them; never ``time`` or a dynamic stock). Where a static operand
    meets a dynamic one, the static operand is computed once at initialisation into an
    environment slot ``#n`` and read from there on every step. The reader lists the slot
    among its step dependencies, and the slot sits in the step graph with the
    dependencies of the hoisted expression: a constant overridden by a time series
    (:mod:`renaissance.engine.series`) makes its slots dynamic, and the plan then
    recomputes them every step, before their readers.

    Parameters
    ----------
    static : set of str
        Variable and stateful keys whose values are fixed after initialisation.
    """

    def __init__(self, static: set[str]):
        self.static = static
        self.slots: dict[str, Node] = {}

    def is_static(self, node: Node) -> bool:
        return node.is_literal or node.step_deps <= self.static

    def hoist(self, node: Node) -> Node:
        if node.is_literal or node.cost == 0 or not self.is_static(node):
            return node
        named = [d for d in node.step_deps if not d.startswith("#")]
        slot = f"#{len(self.slots)}:{min(named, default='')}"
        self.slots[slot] = node
        self.static.add(slot)
        return Node(
            lambda env: env[slot], node.dims, None, node.step_deps | {slot}, frozenset({slot}), 0
        )


HOISTER: Hoister | None = None
"""Set by the compiler during its second pass (see :class:`Hoister`)."""


def hoist_operands(nodes: list[Node]) -> list[Node]:
    """Hoist the static operands of an operation that has a dynamic operand."""
    hoister = HOISTER
    if hoister is None or all(hoister.is_static(n) for n in nodes):
        return nodes
    return [hoister.hoist(n) for n in nodes]


def literal(value: float) -> Node:
    """A literal number."""
    return Node(None, (), float(value))


def deps_of(*nodes: Node) -> dict:
    """Union of the dependency sets of ``nodes``, as keyword arguments for ``Node``."""
    step = frozenset().union(*(n.step_deps for n in nodes))
    init = frozenset().union(*(n.init_deps for n in nodes))
    return {"step_deps": step, "init_deps": init}


def union_dims(*dim_tuples: tuple[str, ...]) -> tuple[str, ...]:
    """Ordered union of dim names (first appearance wins)."""
    out: list[str] = []
    for dims in dim_tuples:
        for d in dims:
            if d not in out:
                out.append(d)
    return tuple(out)


def aligner(dims: tuple[str, ...], target: tuple[str, ...]) -> Callable[[np.ndarray], np.ndarray]:
    """Return ``f(array)`` that reorders axes named ``dims`` into ``target`` order.

    Axes of ``target`` missing from ``dims`` are inserted with length 1 so that the result
    broadcasts against arrays laid out as ``(E, *target)``.
    """
    missing = [d for d in dims if d not in target]
    if missing:
        raise ValueError(f"dims {missing} cannot be placed in {target}")
    present = [d for d in target if d in dims]
    perm = (0, *(1 + dims.index(d) for d in present))
    identity_perm = perm == tuple(range(len(perm)))
    index = (slice(None), *(slice(None) if d in dims else None for d in target))
    needs_index = len(present) != len(target)
    if identity_perm and not needs_index:
        return _identity
    if identity_perm:
        return lambda a: a[index]
    if not needs_index:
        return lambda a: a.transpose(perm)
    return lambda a: a.transpose(perm)[index]


def _identity(a: np.ndarray) -> np.ndarray:
    return a


def align(node: Node, target: tuple[str, ...]) -> Node:
    """Lay out ``node`` along ``target`` dims (see :func:`aligner`)."""
    if node.is_literal or node.dims == target:
        return node
    f = aligner(node.dims, target)
    inner = node.fn
    if f is _identity:
        return Node(inner, target, None, node.step_deps, node.init_deps, node.cost)
    return Node(lambda env: f(inner(env)), target, None, node.step_deps, node.init_deps)


def evaluator(node: Node) -> Fn:
    """A callable returning an array for any node, literals included."""
    if node.is_literal:
        value = np.array([node.value])
        return lambda env: value
    return node.fn


def apply(func: Callable, nodes: list[Node], **kwargs) -> Node:
    """Element-wise ``func`` of ``nodes`` with named-dim broadcasting and constant folding."""
    if all(n.is_literal for n in nodes):
        with np.errstate(all="ignore"):
            return literal(float(func(*(n.value for n in nodes), **kwargs)))
    nodes = hoist_operands(nodes)
    dims = union_dims(*(n.dims for n in nodes))
    aligned = [align(n, dims) for n in nodes]
    parts = [(True, n.value) if n.is_literal else (False, n.fn) for n in aligned]
    deps = deps_of(*nodes)
    if len(parts) == 1:
        (_, f0), = parts
        return Node(lambda env: func(f0(env), **kwargs), dims, None, **deps)
    if len(parts) == 2:
        (l0, f0), (l1, f1) = parts
        if l0:
            return Node(lambda env: func(f0, f1(env), **kwargs), dims, None, **deps)
        if l1:
            return Node(lambda env: func(f0(env), f1, **kwargs), dims, None, **deps)
        return Node(lambda env: func(f0(env), f1(env), **kwargs), dims, None, **deps)

    def fn(env):
        return func(*(v if lit else v(env) for lit, v in parts), **kwargs)

    return Node(fn, dims, None, **deps)
