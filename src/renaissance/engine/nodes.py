"""Compiled expression nodes: a closure over the run environment plus named dims.

Every value the engine handles at run time is a numpy array whose first axis is the
ensemble axis (length E, or 1 when the value is the same for every member) followed by
one axis per named subscript dim, in the order given by ``Node.dims``. An axis may have
length 1 where the value does not vary along it (numpy broadcasting). Literal numbers
stay Python floats (``Node.value``) so that arithmetic on constants folds at compile
time.
"""

from __future__ import annotations

import functools
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
    read : str or None
        The environment key when the node is exactly ``env[read]`` (lets the operations
        reading it index the environment directly instead of calling ``fn``).
    """

    fn: Fn | None
    dims: tuple[str, ...] = ()
    value: float | None = None
    step_deps: frozenset[str] = field(default_factory=frozenset)
    init_deps: frozenset[str] = field(default_factory=frozenset)
    cost: int = 1
    read: str | None = None

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
            lambda env: env[slot],
            node.dims,
            None,
            node.step_deps | {slot},
            frozenset({slot}),
            0,
            slot,
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


def layout(dims: tuple[str, ...], target: tuple[str, ...]) -> tuple[tuple | None, tuple | None]:
    """``(perm, index)`` taking an array laid out along ``dims`` to ``target`` order.

    ``array.transpose(perm)[index]`` (either may be None: not needed) reorders the axes
    and inserts length-1 axes for the dims of ``target`` missing from ``dims``, so that
    the result broadcasts against arrays laid out as ``(E, *target)``.
    """
    missing = [d for d in dims if d not in target]
    if missing:
        raise ValueError(f"dims {missing} cannot be placed in {target}")
    present = [d for d in target if d in dims]
    perm = (0, *(1 + dims.index(d) for d in present))
    index = (slice(None), *(slice(None) if d in dims else None for d in target))
    return (
        None if perm == tuple(range(len(perm))) else perm,
        None if len(present) == len(target) else index,
    )


def aligner(dims: tuple[str, ...], target: tuple[str, ...]) -> Callable[[np.ndarray], np.ndarray]:
    """Return ``f(array)`` that reorders axes named ``dims`` into ``target`` order."""
    perm, index = layout(dims, target)
    if perm is None and index is None:
        return _identity
    if perm is None:
        return lambda a: a[index]
    if index is None:
        return lambda a: a.transpose(perm)
    return lambda a: a.transpose(perm)[index]


def _identity(a: np.ndarray) -> np.ndarray:
    return a


def align(node: Node, target: tuple[str, ...]) -> Node:
    """Lay out ``node`` along ``target`` dims (see :func:`aligner`)."""
    if node.is_literal or node.dims == target:
        return node
    perm, index = layout(node.dims, target)
    inner, key = node.fn, node.read
    if perm is None and index is None:
        return Node(inner, target, None, node.step_deps, node.init_deps, node.cost, key)
    # one closure per case, reading the environment directly where possible (fewer
    # Python calls per step: this runs for most operands of most operations)
    if key is not None and perm is None:
        fn = lambda env: env[key][index]  # noqa: E731
    elif key is not None and index is None:
        fn = lambda env: env[key].transpose(perm)  # noqa: E731
    elif key is not None:
        fn = lambda env: env[key].transpose(perm)[index]  # noqa: E731
    elif perm is None:
        fn = lambda env: inner(env)[index]  # noqa: E731
    elif index is None:
        fn = lambda env: inner(env).transpose(perm)  # noqa: E731
    else:
        fn = lambda env: inner(env).transpose(perm)[index]  # noqa: E731
    return Node(fn, target, None, node.step_deps, node.init_deps)


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
    deps = deps_of(*nodes)
    if kwargs:
        func = functools.partial(func, **kwargs)
    if len(aligned) <= 2:
        return Node(_specialised(func, aligned), dims, None, **deps)
    parts = [(True, n.value) if n.is_literal else (False, n.fn) for n in aligned]

    def fn(env):
        return func(*(v if lit else v(env) for lit, v in parts))

    return Node(fn, dims, None, **deps)


def _specialised(func: Callable, nodes: list[Node]) -> Fn:
    """``env -> func(*operands)`` for one or two operands, each a literal, a plain read
    of the environment or a computed node, with no per-call dispatch (measured: the
    generic closure cost about a third of a single run's time in Python overhead)."""
    kinds = tuple("literal" if n.is_literal else "read" if n.read else "fn" for n in nodes)
    if len(nodes) == 1:
        (n0,) = nodes
        if kinds == ("read",):
            k0 = n0.read
            return lambda env: func(env[k0])
        f0 = n0.fn
        return lambda env: func(f0(env))
    n0, n1 = nodes
    v0 = n0.value if n0.is_literal else n0.read or n0.fn
    v1 = n1.value if n1.is_literal else n1.read or n1.fn
    table = {
        ("literal", "read"): lambda env: func(v0, env[v1]),
        ("literal", "fn"): lambda env: func(v0, v1(env)),
        ("read", "literal"): lambda env: func(env[v0], v1),
        ("read", "read"): lambda env: func(env[v0], env[v1]),
        ("read", "fn"): lambda env: func(env[v0], v1(env)),
        ("fn", "literal"): lambda env: func(v0(env), v1),
        ("fn", "read"): lambda env: func(v0(env), env[v1]),
        ("fn", "fn"): lambda env: func(v0(env), v1(env)),
    }
    return table[kinds]
