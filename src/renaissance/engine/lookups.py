"""Lookup tables: piecewise-linear interpolation, clamped at both ends (SD convention).

A subscripted lookup defined element by element is stored on the union of its x grids,
each row filled by clamped linear interpolation (as PySD merges them), so that one
vectorised gather interpolates every element and every ensemble member at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from renaissance.engine import tape
from renaissance.engine.errors import ModelStructureError
from renaissance.engine.nodes import Node, align, literal, union_dims


@dataclass
class LookupTable:
    """x grid of shape (n,) and y values of shape (*sizes, n) over ``dims``."""

    x: np.ndarray
    y: np.ndarray
    dims: tuple[str, ...]


def merge_rows(rows: list[tuple[tuple, np.ndarray, np.ndarray]], sizes: tuple[int, ...]):
    """Put per-component ``(index, x, y)`` rows on one sorted x grid.

    ``index`` is a tuple of index arrays/ints into the table's dims (the component's
    left-hand side); ``y`` has shape ``(*component sizes, n_component)``.
    """
    grid = np.unique(np.concatenate([x for _, x, _ in rows]))
    table = np.full((*sizes, len(grid)), np.nan)
    for index, x, y in rows:
        if len(np.unique(x)) != len(x):
            raise ModelStructureError("lookup with repeated x values")
        y2 = np.asarray(y, dtype=float).reshape(-1, len(x))
        filled = np.array([np.interp(grid, x, row) for row in y2])
        target_shape = table[index].shape
        if len(filled) == 1:
            table[index] = np.broadcast_to(filled[0], target_shape)
        else:
            table[index] = filled.reshape(target_shape)
    return grid, table


def interpolate(x: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Clamped linear interpolation of ``x`` against rows ``ys`` (last axis on ``xs``).

    ``x`` and ``ys[..., 0]`` broadcast against each other.
    """
    if tape.is_traced(x):
        return tape.interpolate(x, xs, ys)
    n = len(xs)
    if n == 1:
        return np.broadcast_to(ys[..., 0], np.broadcast_shapes(x.shape, ys.shape[:-1])) + 0.0
    xc = np.clip(x, xs[0], xs[-1])
    i = np.clip(np.searchsorted(xs, xc, side="right") - 1, 0, n - 2)
    x0, x1 = xs[i], xs[i + 1]
    weight = (xc - x0) / (x1 - x0)
    shape = np.broadcast_shapes(xc.shape, ys.shape[:-1])
    rows = np.broadcast_to(ys, (*shape, n))
    at = np.broadcast_to(i, shape)[..., None]
    y0 = np.take_along_axis(rows, at, -1)[..., 0]
    y1 = np.take_along_axis(rows, at + 1, -1)[..., 0]
    return y0 + weight * (y1 - y0)


def call_node(table: LookupTable, argument: Node) -> Node:
    """Node interpolating ``table`` at ``argument`` (dims broadcast by name)."""
    xs = table.x
    if not table.dims:
        ys = table.y.reshape(-1)
        if argument.is_literal:
            return literal(float(np.interp(argument.value, xs, ys)))
        f = argument.fn
        return Node(
            lambda env: np.interp(f(env), xs, ys),
            argument.dims,
            None,
            argument.step_deps,
            argument.init_deps,
        )
    dims = union_dims(argument.dims, table.dims)
    perm = [table.dims.index(d) for d in dims if d in table.dims]
    ys = np.transpose(table.y, [*perm, len(table.dims)])
    sizes = dict(zip(table.dims, table.y.shape, strict=False))
    shape = [1] + [sizes.get(d, 1) for d in dims]
    ys = ys.reshape((*shape, len(xs)))
    arg = align(argument, dims)
    if arg.is_literal:
        value = np.array([arg.value]).reshape((1,) * (1 + len(dims)))
        return Node(lambda env: interpolate(value, xs, ys), dims)
    f = arg.fn
    return Node(lambda env: interpolate(f(env), xs, ys), dims, None, arg.step_deps, arg.init_deps)
