"""``SUM(a[D!] * b[D!, R] * …)`` as one ``numpy.einsum`` contraction.

Multiplying first and summing afterwards materialises the full outer product over every
dim of every factor (E x District x Region x …) on each step; a contraction never
builds it. This is the single largest saving on models with membership matrices.

A membership matrix is mostly zeros (each district belongs to one region): when one
factor is a matrix shared by all members (one summed dim, one kept dim) with few
nonzeros, and the contraction is large, only its nonzeros are used (:class:`Sparse`):
a gather of the other factor at the nonzero rows, a weighted group sum per kept index.
The work falls from ``cells x kept size`` to ``cells x nonzeros / summed size``
(17x for the national roster's 141 districts in 17 regions). Results equal the dense
contraction up to summation order; a non-finite value anywhere in the other factor
(seen in the sums when every summed index is used, else checked first) falls back to
the dense one, so NaN and infinity spread exactly as there (0 x NaN).
"""

from __future__ import annotations

import string

import numpy as np

from renaissance.engine import tape
from renaissance.engine.nodes import Node, apply, deps_of, literal, union_dims

_ENSEMBLE = "Z"
SPARSE_MIN_WORK = 20_000
"""Dense multiply-adds above which a sparse shared matrix is contracted by its nonzeros."""
SPARSE_MAX_DENSITY = 0.5
"""Largest share of nonzeros for which the sparse contraction is used."""


class Sparse:
    """Nonzeros of a member-shared matrix, grouped by the kept index.

    Parameters
    ----------
    matrix : ndarray of shape (n_summed, n_kept)
        The matrix, summed dim first.
    """

    def __init__(self, matrix: np.ndarray):
        summed, kept = np.nonzero(matrix)
        order = np.argsort(kept, kind="stable")
        self.summed, kept = summed[order], kept[order]
        self.weights = matrix[self.summed, kept]
        self.unit = bool((self.weights == 1).all())
        self.present, self.starts = np.unique(kept, return_index=True)
        self.kept_size = matrix.shape[1]
        self.complete = len(self.present) == self.kept_size
        self.density = len(self.summed) / max(1, matrix.size)
        # every summed index used: a non-finite input shows in the sums
        self.covering = len(np.unique(self.summed)) == matrix.shape[0]
        self.blocks = _blocks(matrix)

    def contract(self, value: np.ndarray, axis: int) -> np.ndarray:
        """Sum over ``axis`` of ``value`` times the matrix; the kept dim takes its place.

        ``value`` has the summed dim at ``axis``; the result has the kept dim there.
        """
        shape = list(value.shape)
        shape[axis] = self.kept_size
        if len(self.summed) == 0:
            return np.zeros(shape)
        trailing = (1,) * (value.ndim - 1 - axis)
        if self.blocks is not None:
            return self._contract_blocks(value, axis, shape, trailing)
        picked = np.take(value, self.summed, axis=axis)
        if not self.unit:
            picked *= self.weights.reshape((-1, *trailing))
        sums = np.add.reduceat(picked, self.starts, axis=axis)
        if self.complete:
            return sums
        out = np.zeros(shape)
        out[(slice(None),) * axis + (self.present,)] = sums
        return out

    def _contract_blocks(self, value, axis, shape, trailing):
        """Summed indices in runs, one run per kept index: sum the runs in place, then
        put the (small) sums in kept order; no gather of the large operand."""
        starts, kept, weights, order = self.blocks
        picked = value if self.unit else value * weights.reshape((-1, *trailing))
        sums = np.add.reduceat(picked, starts, axis=axis)
        if order is None:
            return sums
        if self.complete:
            return np.take(sums, order, axis=axis)
        out = np.zeros(shape)
        out[(slice(None),) * axis + (kept,)] = sums
        return out


def _blocks(matrix: np.ndarray):
    """``(run starts, kept index of each run, weights, order)`` when every summed index
    has exactly one nonzero and each kept index's nonzeros form one run of consecutive
    summed indices (districts listed region by region, in any region order); else None.
    ``order`` puts the runs' sums in kept order (None: already in order)."""
    rows, columns = np.nonzero(matrix)
    if not np.array_equal(rows, np.arange(matrix.shape[0])):
        return None
    starts = np.concatenate([[0], np.flatnonzero(np.diff(columns)) + 1]).astype(np.intp)
    kept = columns[starts]
    if len(np.unique(kept)) != len(kept):
        return None
    order = None if np.array_equal(kept, np.arange(matrix.shape[1])) else np.argsort(kept)
    return starts, kept, matrix[rows, columns], order


def _sparse_candidates(arrays: list[Node]) -> list[tuple[int, int, int, int]]:
    """``(matrix, other, summed position in matrix, summed axis in other)`` that fit."""
    found = []
    for m, matrix in enumerate(arrays):
        other = arrays[1 - m]
        if len(arrays) != 2 or len(matrix.dims) != 2:
            continue
        summed = [d for d in matrix.dims if d.endswith("!")]
        kept = [d for d in matrix.dims if not d.endswith("!")]
        if len(summed) != 1 or len(kept) != 1:
            continue
        if summed[0] not in other.dims or kept[0] in other.dims:
            continue
        if any(d.endswith("!") and d != summed[0] for d in other.dims):
            continue
        found.append((m, 1 - m, matrix.dims.index(summed[0]), 1 + other.dims.index(summed[0])))
    return found


def contraction(factors: list[Node], prefer: tuple[str, ...] = ()) -> Node:
    """Node for the sum over ``!`` dims of the product of ``factors``.

    Literal factors are multiplied into the result afterwards. ``prefer`` orders the
    result's dims (the left-hand side's dims). Every non-literal factor
    must be full-size along its subscript dims (true of every compiled Node); its
    ensemble axis may be 1 (shared by all members) or E.
    """
    numbers = [f for f in factors if f.is_literal]
    arrays = [f for f in factors if not f.is_literal]
    if len(arrays) < 1:
        raise ValueError("contraction of literals only")
    if len(arrays) > 2:
        # numpy's multi-operand einsum is slow (measured 30 ms vs 0.7 ms on E=1000
        # policy arrays): multiply the smaller factors element-wise, then contract
        # that product with the factor of most dims in one two-operand einsum
        big = max(range(len(arrays)), key=lambda i: (len(arrays[i].dims), i))
        rest = [f for i, f in enumerate(arrays) if i != big]
        product = rest[0]
        for f in rest[1:]:
            product = apply(np.multiply, [product, f])
        arrays = [product, arrays[big]]
    all_dims = union_dims(*(f.dims for f in arrays))
    if len(all_dims) > 25:
        raise ValueError("too many dims for one contraction")
    label = dict(zip(all_dims, string.ascii_lowercase, strict=False))
    kept = [d for d in all_dims if not d.endswith("!")]
    # produce the result in the order its consumer wants (no strided copy afterwards)
    out_dims = tuple(sorted(kept, key=lambda d: prefer.index(d) if d in prefer else len(prefer)))
    in_labels = ["".join(label[d] for d in f.dims) for f in arrays]
    out_labels = "".join(label[d] for d in out_dims)
    fns = [f.fn for f in arrays]
    cache: dict[tuple[bool, ...], str] = {}
    candidates = _sparse_candidates(arrays)
    sparse_dims = {}
    for m, o, _, axis in candidates:
        dims = list(arrays[o].dims)
        dims[axis - 1] = next(d for d in arrays[m].dims if not d.endswith("!"))
        sparse_dims[m] = (0, *(1 + dims.index(d) for d in out_dims))
    known: dict[int, tuple[np.ndarray, Sparse]] = {}

    def sparse(values):
        """The contraction by the nonzeros of a shared sparse matrix, or None."""
        for m, o, summed_position, axis in candidates:
            matrix, other = values[m], values[o]
            if matrix.shape[0] != 1 or other.size * matrix.shape[2 - summed_position] < (
                SPARSE_MIN_WORK
            ):
                continue
            cached = known.get(m)
            if cached is None or cached[0] is not matrix:
                square = matrix[0] if summed_position == 0 else matrix[0].T
                cached = known[m] = (matrix, Sparse(square))
            if cached[1].density > SPARSE_MAX_DENSITY:
                continue
            if not cached[1].covering and not np.isfinite(np.add.reduce(other, axis=axis)).all():
                return None
            result = cached[1].contract(other, axis)
            if cached[1].covering and not np.isfinite(result).all():
                return None  # the dense contraction spreads NaN through the zeros
            perm = sparse_dims[m]
            return result if perm == tuple(range(len(perm))) else result.transpose(perm)
        return None

    def spec(shared: tuple[bool, ...]) -> str:
        # a member-independent factor (ensemble axis of length 1) gets no ensemble label
        if shared not in cache:
            inputs = [
                lab if s else _ENSEMBLE + lab for lab, s in zip(in_labels, shared, strict=True)
            ]
            cache[shared] = ",".join(inputs) + "->" + _ENSEMBLE + out_labels
        return cache[shared]

    def evaluate(env):
        values = [f(env) for f in fns]
        if candidates and not tape.is_traced(*values):  # the machine needs no sparse path
            result = sparse(values)
            if result is not None:
                return result
        members = max(v.shape[0] for v in values)
        if members == 1:
            shared = (False,) * len(values)
        else:
            shared = tuple(v.shape[0] == 1 for v in values)
            values = [v[0] if s else v for v, s in zip(values, shared, strict=True)]
        # measured: BLAS tensordot plus the transposed result it leaves was about twice
        # as slow here as einsum writing the result in its final layout
        return np.einsum(spec(shared), *values)

    node = Node(evaluate, out_dims, None, **deps_of(*arrays))
    if numbers:
        scale = 1.0
        for n in numbers:
            scale *= n.value
        node = apply(np.multiply, [node, literal(scale)])
    return node
