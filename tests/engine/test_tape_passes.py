"""The tape passes (engine.tapeopt) remove operations without changing any value."""

from __future__ import annotations

import numpy as np
import pytest

from renaissance.engine import compiled

pytestmark = pytest.mark.skipif(not compiled.available(), reason="Numba is not installed")

ROWS = 12


def _op(opcode, out, size, a=(0, 0, 0, 0), b=(0, 0, 0, 0), aux=0):
    from renaissance.engine import vm

    row = np.zeros(vm.NCOLUMNS, dtype=np.int64)
    row[vm.OPCODE], row[vm.OUT], row[vm.SIZE], row[vm.AUX] = opcode, out, size, aux
    row[vm.A_SPACE : vm.A_INDEX + 1] = a
    row[vm.B_SPACE : vm.B_INDEX + 1] = b
    return row


def _run(ops, index, shared):
    from renaissance.engine import vm

    work = np.zeros((ROWS, 1))
    work[:3, 0] = [1.0, 2.0, 3.0]
    vm.evaluate(np.ascontiguousarray(ops), index, shared, np.zeros((0, 1)), work, 0)
    return work[:, 0]


def test_a_copy_is_folded_into_its_reader_and_dropped():
    from renaissance.engine import tapeopt, vm

    index = np.array([2, 1, 0], dtype=np.int64)
    shared = np.array([10.0])
    ops = np.array([
        _op(vm.COPY, 3, 3, a=(vm.WORK, 0, vm.GATHER, 0)),  # rows 3..5 = reversed 0..2
        _op(vm.MULTIPLY, 6, 3, a=(vm.WORK, 3, vm.CONTIGUOUS, 0), b=(vm.SHARED, 0, vm.SCALAR, 0)),
    ])  # fmt: skip
    kept = np.zeros(ROWS, dtype=bool)
    kept[6:9] = True
    protected = kept.copy()
    protected[:3] = True
    folded, folded_index = tapeopt.fold_copies(ops, index, protected)
    keep = tapeopt.drop_dead(folded, folded_index, kept)
    assert list(keep) == [1]  # the copy is gone
    before = _run(ops, index, shared)
    after = _run(folded[keep], folded_index, shared)
    np.testing.assert_array_equal(before[6:9], [30.0, 20.0, 10.0])
    np.testing.assert_array_equal(after[6:9], before[6:9])


def test_a_copy_whose_source_changes_afterwards_is_kept():
    from renaissance.engine import tapeopt, vm

    index = np.array([0], dtype=np.int64)  # SCATTER position
    shared = np.array([10.0, -1.0])
    ops = np.array([
        _op(vm.COPY, 3, 3, a=(vm.WORK, 0, vm.CONTIGUOUS, 0)),
        _op(vm.SCATTER, 0, 1, a=(vm.SHARED, 1, vm.SCALAR, 0), aux=0),  # row 0 = -1
        _op(vm.MULTIPLY, 6, 3, a=(vm.WORK, 3, vm.CONTIGUOUS, 0), b=(vm.SHARED, 0, vm.SCALAR, 0)),
    ])  # fmt: skip
    kept = np.zeros(ROWS, dtype=bool)
    kept[6:9] = True
    folded, folded_index = tapeopt.fold_copies(ops, index, kept)
    keep = tapeopt.drop_dead(folded, folded_index, kept)
    assert 0 in keep
    after = _run(folded[keep], folded_index, shared)
    np.testing.assert_array_equal(after[6:9], [10.0, 20.0, 30.0])  # the value before SCATTER


def test_static_operations_are_split_from_the_step():
    from renaissance.engine import tapeopt, vm

    index = np.zeros(0, dtype=np.int64)
    shared = np.array([2.0, 5.0])
    ops = np.array([
        _op(vm.ADD, 3, 1, a=(vm.SHARED, 0, vm.SCALAR, 0), b=(vm.SHARED, 1, vm.SCALAR, 0)),
        _op(vm.MULTIPLY, 4, 1, a=(vm.WORK, 3, vm.SCALAR, 0), b=(vm.WORK, 0, vm.SCALAR, 0)),
        _op(vm.MULTIPLY, 5, 1, a=(vm.WORK, 3, vm.SCALAR, 0), b=(vm.SHARED, 0, vm.SCALAR, 0)),
    ])  # fmt: skip
    dynamic = np.zeros(ROWS, dtype=bool)
    dynamic[:3] = True  # rows the machine sets at each evaluation
    static = tapeopt.split_static(ops, index, dynamic)
    assert list(static) == [True, False, True]
    # the prologue once, then the step alone: the same values as the whole tape
    from renaissance.engine import vm

    work = np.zeros((ROWS, 1))
    vm.evaluate(np.ascontiguousarray(ops[static]), index, shared, np.zeros((0, 1)), work, 0)
    work[:3, 0] = [1.0, 2.0, 3.0]
    vm.evaluate(np.ascontiguousarray(ops[~static]), index, shared, np.zeros((0, 1)), work, 0)
    np.testing.assert_array_equal(work[3:6, 0], _run(ops, index, shared)[3:6])
    np.testing.assert_array_equal(work[3:6, 0], [7.0, 7.0, 14.0])


def test_the_showcase_tape_loses_operations_and_still_matches_numpy(tmp_path):
    from renaissance.engine import load_model
    from renaissance.paths import MODEL_FILE

    model = load_model(MODEL_FILE)
    model.backend = "vm"
    result = model.run(final_time=2000)
    program = next(iter(model.plan.__dict__["_programs"].values()))
    assert len(program.ops) < program.traced_operations
    work = compiled.step_work(model.plan)
    assert 0 < work["operations"] <= len(program.ops)
    model.backend = "numpy"
    reference = model.run(final_time=2000)
    for name in ("Technical Capital", "District Manufacturing Employment"):
        np.testing.assert_allclose(result[name], reference[name], rtol=1e-10)


def _sumprod(out, size, inner, a, b):
    from renaissance.engine import vm

    row = _op(vm.SUMPROD, out, size, a=a, b=b)
    row[vm.INNER] = inner
    return row


@pytest.mark.parametrize("factor", ["A", "B"])
def test_zero_terms_of_a_shared_factor_are_skipped_without_changing_sums(factor):
    from renaissance.engine import tapeopt, vm

    rng = np.random.default_rng(3)
    # 3 output cells, 3 terms each: membership-like weights, many exact zeros
    weights = np.array([[0.0, 2.5, 0.0], [0.0, 0.0, 0.0], [1.0, 0.0, -3.0]])
    shared = np.concatenate([[7.0], weights.reshape(-1)])
    positions = np.arange(9, dtype=np.int64)  # weights, cell by cell
    dynamic = np.array([0, 1, 2] * 3, dtype=np.int64)  # work rows 0..2 for every cell
    index = np.concatenate([positions, dynamic])
    weight_input = (vm.SHARED, 1, vm.GATHER, 0)
    work_input = (vm.WORK, 0, vm.GATHER, 9)
    a, b = (weight_input, work_input) if factor == "A" else (work_input, weight_input)
    ops = np.array([_sumprod(3, 3, 3, a, b)])
    memo = {}
    sparse, sparse_index, sparse_shared = tapeopt.skip_zero_terms(ops, index, shared, memo)
    assert sparse[0, vm.INNER] == 2  # the widest cell keeps two terms
    assert sparse_shared.size == shared.size + 1 and sparse_shared[-1] == 0.0
    check = vm.check_tape(sparse, sparse_index, sparse_shared.size, 0, ROWS)
    assert check == (-1, -1)
    for _ in range(5):
        values = rng.normal(size=3) * 10.0 ** rng.integers(-5, 5, size=3)
        dense_work = np.zeros((ROWS, 1))
        dense_work[:3, 0] = values
        sparse_work = dense_work.copy()
        empty = np.zeros((0, 1))
        vm.evaluate(ops, index, shared, empty, dense_work, 0)
        vm.evaluate(sparse, sparse_index, sparse_shared, empty, sparse_work, 0)
        np.testing.assert_array_equal(sparse_work[3:6, 0], dense_work[3:6, 0])
        np.testing.assert_allclose(dense_work[3:6, 0], weights @ values, rtol=1e-12)
    # the same weights again reuse the memo; other weights are not mistaken for them
    assert tapeopt.skip_zero_terms(ops, index, shared, memo)[1].size == sparse_index.size
    dense_weights = shared.copy()
    dense_weights[1:] = 1.0
    unchanged = tapeopt.skip_zero_terms(ops, index, dense_weights, memo)
    assert unchanged[0] is ops and unchanged[2] is dense_weights


def test_remembered_terms_belong_to_the_operation_not_to_its_row():
    from renaissance.engine import tapeopt, vm

    weights = np.array([0.0, 2.0, 0.0, 1.0])  # 2 cells, 2 terms each
    shared = weights.copy()
    index = np.array([0, 1, 2, 3, 0, 1, 0, 1, 2, 2, 1, 0], dtype=np.int64)
    first = _sumprod(3, 2, 2, (vm.SHARED, 0, vm.GATHER, 0), (vm.WORK, 0, vm.GATHER, 4))
    second = _sumprod(3, 2, 2, (vm.SHARED, 0, vm.GATHER, 0), (vm.WORK, 0, vm.GATHER, 8))
    memo = {}
    empty = np.zeros((0, 1))
    for op in (first, second):  # the same row number and weights, other cells read
        ops = np.array([op])
        sparse, sparse_index, sparse_shared = tapeopt.skip_zero_terms(ops, index, shared, memo)
        assert sparse[0, vm.INNER] == 1
        dense_work, sparse_work = np.zeros((ROWS, 1)), np.zeros((ROWS, 1))
        dense_work[:3, 0] = sparse_work[:3, 0] = [5.0, 7.0, 11.0]
        vm.evaluate(ops, index, shared, empty, dense_work, 0)
        vm.evaluate(sparse, sparse_index, sparse_shared, empty, sparse_work, 0)
        np.testing.assert_array_equal(sparse_work[3:5, 0], dense_work[3:5, 0])
    assert len(memo) == 2
