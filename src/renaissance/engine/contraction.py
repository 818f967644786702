"""``SUM(a[D!] * b[D!, R] * …)`` as one ``numpy.einsum`` contraction.

Multiplying first and summing afterwards materialises the full outer product over every
dim of every factor (E x District x Region x …) on each step; a contraction never
builds it. This is the single largest saving on models with membership matrices.
"""

from __future__ import annotations

import string

import numpy as np

from renaissance.engine.nodes import Node, apply, deps_of, literal, union_dims

_ENSEMBLE = "Z"


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

    def spec(shared: tuple[bool, ...]) -> str:
        # a member-independent factor (ensemble axis of length 1) gets no ensemble label
        if shared not in cache:
            inputs = [lab if s else _ENSEMBLE + lab
                      for lab, s in zip(in_labels, shared, strict=True)]
            cache[shared] = ",".join(inputs) + "->" + _ENSEMBLE + out_labels
        return cache[shared]

    def evaluate(env):
        values = [f(env) for f in fns]
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
