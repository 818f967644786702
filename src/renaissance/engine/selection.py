"""IF THEN ELSE chains whose conditions are fixed tables, as one gather.

``IF THEN ELSE(c1[I, S] = 1, a[D], IF THEN ELSE(c2[I, S] = 1, b[D], c[D]))`` picks, for
every cell of the condition dims ``(I, S)``, one of the branch arrays over ``(D)``. When
the conditions are the same for every member (constants of the model) and share none of
the branches' dims, the result is ``take(stack([a, b, c]), branch_index[I, S])``: one
pass writing the ``(E, I, S, D)`` result instead of two per IF THEN ELSE (fill with
the false branch, copy the true one where chosen) plus the comparisons, each over the
whole result. The branch index is computed once per run (the condition arrays are the
same objects at every step). Small results, or conditions that differ by member, use the
element-wise path of :func:`renaissance.engine.functions.if_then_else`. Results are
identical: both select values, neither computes.
"""

from __future__ import annotations

import weakref

import numpy as np

from renaissance.engine import functions as vf
from renaissance.engine import tape
from renaissance.engine.nodes import Node, align, apply, evaluator, hoist_operands

GATHER_MIN_CELLS = 20_000
"""Result cells (members x cells) from which a chain is evaluated as a gather."""

_CHAINS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""A chain node's function -> (conditions, branches) Nodes, for nesting."""


def if_then_else(condition: Node, true: Node, false: Node) -> Node:
    """Node for ``IF THEN ELSE(condition, true, false)``, as a gather where it pays."""
    condition, true, false = hoist_operands([condition, true, false])
    plain = apply(vf.if_then_else, [condition, true, false])
    if plain.is_literal or condition.is_literal or not condition.dims:
        return plain
    conditions, branches = [condition], [true]
    nested = _CHAINS.get(false.fn) if not false.is_literal else None
    if nested is not None and nested[0][0].dims == condition.dims:
        conditions += nested[0]
        branches += nested[1]
    else:
        branches.append(false)
    branch_dims = tuple(dict.fromkeys(d for b in branches for d in b.dims))
    if set(branch_dims) & set(condition.dims):
        return plain
    node = _chain_node(plain, conditions, branches, branch_dims)
    _CHAINS[node.fn] = (conditions, branches)
    return node


def _chain_node(plain: Node, conditions, branches, branch_dims) -> Node:
    condition_fns = [evaluator(c) for c in conditions]
    branch_fns = [evaluator(align(b, branch_dims)) for b in branches]
    fallback = plain.fn
    order = (*conditions[0].dims, *branch_dims)
    perm = (0, *(1 + order.index(d) for d in plain.dims))
    identity = perm == tuple(range(len(perm)))
    extra = (1,) * len(branch_dims)
    known: list = [None, None]  # condition arrays, branch index
    cells: list = []  # cells per member of the result, once known

    def evaluate(env):
        if cells and env["$E"] * cells[0] < GATHER_MIN_CELLS:
            return fallback(env)  # decided without evaluating the branches twice
        masks = [f(env) for f in condition_fns]
        if any(m.shape[0] != 1 for m in masks) or tape.is_traced(*masks):
            return fallback(env)
        values = [f(env) for f in branch_fns]
        values = [v.reshape((v.shape[0], *extra)) if v.ndim == 1 else v for v in values]
        shape = np.broadcast_shapes(*(v.shape for v in values))
        cells[:] = [max(m[0].size for m in masks) * int(np.prod(shape[1:]))]
        if shape[0] * cells[0] < GATHER_MIN_CELLS:
            return fallback(env)
        if known[0] is None or any(a is not b for a, b in zip(known[0], masks, strict=True)):
            cell_shape = np.broadcast_shapes(*(m.shape[1:] for m in masks))
            index = np.full(cell_shape, len(masks), dtype=np.intp)
            for number in range(len(masks) - 1, -1, -1):
                index[np.broadcast_to(masks[number][0] != 0, cell_shape)] = number
            known[:] = [masks, index]
        stacked = np.empty((shape[0], len(values), *shape[1:]))
        for number, value in enumerate(values):
            stacked[:, number] = value
        result = np.take(stacked, known[1], axis=1)
        return result if identity else result.transpose(perm)

    return Node(evaluate, plain.dims, None, plain.step_deps, plain.init_deps)
