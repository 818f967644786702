"""The sparse contraction by a shared membership matrix equals the dense einsum.

Covers one-hot membership in order, grouped by region in another order and in random
order, weights, regions with no district, the kept dim before or after the others, the
gather direction (``SUM(M[D, R!] * x[R!])``) and NaN/inf falling back to the dense
result (0 x NaN spreads as in PySD).
"""

from __future__ import annotations

import numpy as np
import pytest

from renaissance.engine import contraction as C
from renaissance.engine.nodes import Node

MEMBERS, INSTRUMENTS, DISTRICTS, REGIONS = 40, 5, 30, 7


def _node(name: str, dims: tuple[str, ...], env_key: str) -> Node:
    return Node(lambda env: env[env_key], dims, None, frozenset({name}), frozenset({name}))


def _membership(rng, in_order, empty_region: bool, weighted: bool) -> np.ndarray:
    """One region per district: sorted by region (True), listed region by region with the
    regions in another order ("grouped"), or in random order (False)."""
    regions = np.sort(rng.integers(0, REGIONS - 1 if empty_region else REGIONS, DISTRICTS))
    if in_order == "grouped":
        regions = rng.permutation(REGIONS)[regions]
    elif not in_order:
        regions = rng.permutation(regions)
    matrix = np.zeros((DISTRICTS, REGIONS))
    matrix[np.arange(DISTRICTS), regions] = rng.uniform(0.5, 2.0, DISTRICTS) if weighted else 1
    return matrix


def _dense(matrix_node, value_node, env, out_dims):
    saved = C.SPARSE_MIN_WORK
    C.SPARSE_MIN_WORK = np.inf
    try:
        return C.contraction([matrix_node, value_node], out_dims).fn(env)
    finally:
        C.SPARSE_MIN_WORK = saved


@pytest.mark.parametrize("in_order", [True, "grouped", False])
@pytest.mark.parametrize("empty_region", [True, False])
@pytest.mark.parametrize("weighted", [True, False])
@pytest.mark.parametrize("prefer", [("Instrument", "Region"), ("Region", "Instrument")])
def test_sum_over_districts_equals_dense(in_order, empty_region, weighted, prefer):
    rng = np.random.default_rng(7)
    env = {
        "m": _membership(rng, in_order, empty_region, weighted)[None],
        "x": rng.normal(size=(MEMBERS, INSTRUMENTS, DISTRICTS)),
    }
    matrix = _node("m", ("District!", "Region"), "m")
    value = _node("x", ("Instrument", "District!"), "x")
    node = C.contraction([matrix, value], prefer)
    assert node.dims == prefer
    sparse = node.fn(env)
    dense = _dense(matrix, value, env, prefer)
    assert sparse.shape == dense.shape
    np.testing.assert_allclose(sparse, dense, rtol=1e-13, atol=1e-13)


def test_gather_from_regions_equals_dense():
    rng = np.random.default_rng(3)
    env = {
        "m": _membership(rng, False, False, False)[None],
        "y": rng.normal(size=(MEMBERS * 30, REGIONS)),
    }
    matrix = _node("m", ("District", "Region!"), "m")
    value = _node("y", ("Region!",), "y")
    sparse = C.contraction([matrix, value], ("District",)).fn(env)
    np.testing.assert_allclose(sparse, _dense(matrix, value, env, ("District",)), rtol=1e-13)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("empty_region", [True, False])
def test_non_finite_values_spread_as_in_the_dense_contraction(bad, empty_region):
    rng = np.random.default_rng(5)
    x = rng.normal(size=(MEMBERS, INSTRUMENTS, DISTRICTS))
    x[3, 1, 4] = bad
    env = {"m": _membership(rng, False, empty_region, False)[None], "x": x}
    matrix = _node("m", ("District!", "Region"), "m")
    value = _node("x", ("Instrument", "District!"), "x")
    sparse = C.contraction([matrix, value], ("Instrument", "Region")).fn(env)
    dense = _dense(matrix, value, env, ("Instrument", "Region"))
    assert not np.isfinite(dense[3, 1]).any()  # 0 x NaN or 0 x inf reaches every region
    np.testing.assert_array_equal(np.isnan(sparse), np.isnan(dense))
    np.testing.assert_allclose(sparse, dense, rtol=1e-13)


def test_dense_matrix_keeps_einsum():
    rng = np.random.default_rng(1)
    env = {
        "m": rng.uniform(size=(1, DISTRICTS, REGIONS)),
        "x": rng.normal(size=(MEMBERS, INSTRUMENTS, DISTRICTS)),
    }
    matrix = _node("m", ("District!", "Region"), "m")
    value = _node("x", ("Instrument", "District!"), "x")
    result = C.contraction([matrix, value], ("Instrument", "Region")).fn(env)
    np.testing.assert_allclose(result, np.einsum("dr,Zid->Zir", env["m"][0], env["x"]))
