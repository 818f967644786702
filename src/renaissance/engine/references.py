"""Subscripted references ``x[a, Dim, Sub!]`` as static index operations.

Position by position, against the referenced variable's final dims (PySD's rules):
a single element selects and drops its axis; a range (or subrange, or ``Range!``) selects
its elements and names the axis after the range used in the reference; a range absent
from the left-hand side relabels onto a left-hand-side range it maps to (``->``) or is a
copy of (``<->``).
"""

from __future__ import annotations

import numpy as np

from renaissance.engine.errors import ModelStructureError
from renaissance.engine.nodes import Node


def _indexer(wanted: list[str], available: list[str], where: str):
    """Slice or index array picking ``wanted`` out of ``available``."""
    try:
        idx = [available.index(e) for e in wanted]
    except ValueError as err:
        raise ModelStructureError(f"{where}: {err}") from None
    if idx == list(range(len(available))):
        return None
    if idx == list(range(idx[0], idx[0] + len(idx))):
        return slice(idx[0], idx[0] + len(idx))
    return np.array(idx)


def reference_node(compiler, var, subscripts: list[str] | None, scope) -> Node:
    """Node reading variable ``var`` as written ``var[subscripts]`` in ``scope``.

    Parameters
    ----------
    compiler : ExpressionCompiler
        The expression compiler of the referencing component (for renames and messages).
    var : Variable
        The referenced variable (final dims and coords).
    subscripts : list of str or None
        The subscripts written in the reference, verbatim (``!`` kept).
    scope : Scope
        Dims of the referencing component.
    """
    key = var.key
    deps = frozenset({key})
    if not subscripts or not var.dims:
        if subscripts and not var.dims:
            raise ModelStructureError(
                f"variable {scope.element!r} subscripts {var.name!r}, which has no subscripts"
            )
        return Node(lambda env: env[key], tuple(var.dims), None, deps, deps, 0, key)
    if len(subscripts) != len(var.dims):
        raise ModelStructureError(
            f"variable {scope.element!r} refers to {var.name}{subscripts}, "
            f"but {var.name!r} has dims {var.dims}"
        )
    subs = compiler.subs
    basic: list = [slice(None)]
    fancy: list[tuple[int, np.ndarray]] = []
    dims: list[str] = []
    where = f"variable {scope.element!r} referring to {var.name!r}"
    for axis, (sub, dim) in enumerate(zip(subscripts, var.dims, strict=True), start=1):
        available = compiler.model.range_elements(dim)
        bare = sub[:-1] if sub.endswith("!") else sub
        if subs.is_range(bare):
            ix = _indexer(subs.ranges[bare], available, where)
            name = sub if sub.endswith("!") else compiler.rename_to_scope(bare, tuple(dims))
            dims.append(name)
            if isinstance(ix, np.ndarray):
                fancy.append((axis, ix))
                basic.append(slice(None))
            else:
                basic.append(slice(None) if ix is None else ix)
        else:
            if sub not in available:
                raise ModelStructureError(f"{where}: {sub!r} is not an element of {dim!r}")
            basic.append(available.index(sub))
    if len(set(dims)) != len(dims):
        raise ModelStructureError(f"{where}: repeated dim in {subscripts}")
    index = tuple(basic)
    trivial = all(isinstance(b, slice) and b == slice(None) for b in basic)

    if not fancy:
        if trivial:
            return Node(lambda env: env[key], tuple(dims), None, deps, deps, 0, key)
        return Node(lambda env: env[key][index], tuple(dims), None, deps, deps)

    def select(env):
        value = env[key]
        for axis, ix in fancy:
            value = np.take(value, ix, axis=axis)
        return value if trivial else value[index]

    return Node(select, tuple(dims), None, deps, deps)
