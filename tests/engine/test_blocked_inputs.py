"""Regular gathers read through strides (tapeopt.block_gathers, the machine's BLOCKED mode).

A broadcast or a transpose feeding an element-wise operation is a gather whose cells
follow two strides. The pass rewrites such inputs; the rewritten tape must give the
same values bit for bit, on one lane and on several, and ``check_tape`` must refuse
BLOCKED inputs that are malformed or where they are not allowed.
"""

from __future__ import annotations

import numpy as np
import pytest

from renaissance.engine import compiled

pytestmark = pytest.mark.skipif(not compiled.available(), reason="Numba is not installed")


def _op(opcode, out, size, inputs, aux=0):
    from renaissance.engine import vm

    row = np.zeros(vm.NCOLUMNS, dtype=np.int64)
    row[vm.OPCODE], row[vm.OUT], row[vm.SIZE], row[vm.AUX] = opcode, out, size, aux
    for number, columns in enumerate(inputs):
        first = vm.A_SPACE + 4 * number
        row[first : first + 4] = columns
    return row


def _patterns(m, n):
    """Gather positions of an (m, n) output: row broadcast, column broadcast, transpose."""
    k = np.arange(m * n)
    return {
        "rows": k // n,  # an (m,) array broadcast along n
        "columns": k % n,  # an (n,) array broadcast along m
        "transpose": (k % n) * m + k // n,  # an (n, m) array transposed
        "plain": k,  # contiguous, written as a gather
    }


def _evaluate(ops, index, shared, work):
    from renaissance.engine import vm

    work = work.copy()
    vm.evaluate(np.ascontiguousarray(ops), index, shared, np.zeros((0, work.shape[1])), work, 0)
    return work


def _tape(opcode, m, n, kinds, spaces):
    """One element-wise operation of size m n reading gathered inputs of ``kinds``."""
    from renaissance.engine import vm

    patterns = _patterns(m, n)
    parts, inputs, start = [], [], 0
    source = 0  # each input reads its own region of its space
    for kind, space in zip(kinds, spaces, strict=True):
        if kind == "scalar":
            inputs.append((space, source, vm.SCALAR, 0))
        elif kind == "contiguous":
            inputs.append((space, source, vm.CONTIGUOUS, 0))
        else:
            parts.append(patterns[kind])
            inputs.append((space, source, vm.GATHER, start))
            start += m * n
        source += m * n
    out = source  # after every input's region (inputs read the work array below it)
    ops = np.array([_op(opcode, out, m * n, inputs)])
    return ops, np.concatenate(parts).astype(np.int64), out + m * n


@pytest.mark.parametrize("lanes", [1, 3])
@pytest.mark.parametrize(
    ("opcode_name", "kinds"),
    [
        ("NEGATIVE", ["transpose"]),
        ("ADD", ["rows", "columns"]),
        ("MULTIPLY", ["transpose", "contiguous"]),
        ("SUBTRACT", ["scalar", "rows"]),
        ("WHERE", ["rows", "columns", "transpose"]),
        ("SAFE_DIVIDE", ["plain", "columns", "scalar"]),
    ],
)
@pytest.mark.parametrize(("m", "n"), [(19, 33), (5, 4), (1, 7), (6, 1)])
def test_blocked_operations_equal_gathered_ones_bit_for_bit(opcode_name, kinds, m, n, lanes):
    from renaissance.engine import tapeopt, vm

    opcode = getattr(vm, opcode_name)
    spaces = [vm.WORK if number % 2 == 0 else vm.SHARED for number in range(len(kinds))]
    ops, index, rows = _tape(opcode, m, n, kinds, spaces)
    rng = np.random.default_rng(m * 100 + n)
    work = rng.normal(size=(rows, lanes))
    work[::7] = 0.0  # zeros for WHERE's condition and SAFE_DIVIDE's divisor
    shared = rng.normal(size=rows)
    blocked_ops, blocked_index = tapeopt.block_gathers(ops, index, {})
    assert vm.check_tape(blocked_ops, blocked_index, shared.size, 0, rows) == (-1, -1)
    gathered = [w for w, kind in enumerate(kinds) if kind not in ("scalar", "contiguous")]
    modes = [blocked_ops[0, vm.A_MODE + 4 * w] for w in gathered]
    if m * n >= tapeopt.MIN_BLOCK:
        assert modes == [vm.BLOCKED] * len(gathered)
    for which in gathered:  # the passes' view of a blocked input: the same cells
        offset = vm.A_OFFSET + 4 * which
        np.testing.assert_array_equal(
            blocked_ops[0, offset] + tapeopt.cells_of(blocked_ops[0], which, blocked_index),
            ops[0, offset] + tapeopt.cells_of(ops[0], which, index),
        )
    expected = _evaluate(ops, index, shared, work)
    got = _evaluate(blocked_ops, blocked_index, shared, work)
    np.testing.assert_array_equal(got, expected)


def test_irregular_and_short_gathers_stay_gathered():
    from renaissance.engine import tapeopt, vm

    index = np.array([3, 0, 2, 1, 5, 4, 0, 1, 2, 3, 4, 5], dtype=np.int64)
    irregular = _op(vm.ADD, 20, 6, [(vm.WORK, 0, vm.GATHER, 0), (vm.WORK, 8, vm.GATHER, 6)])
    ops, new_index = tapeopt.block_gathers(np.array([irregular]), index, {})
    assert new_index is index and ops[0, vm.A_MODE] == vm.GATHER
    short = _op(vm.COPY, 20, 3, [(vm.WORK, 0, vm.GATHER, 6)])  # regular, 3 cells
    ops, new_index = tapeopt.block_gathers(np.array([short]), index, {})
    assert new_index is index and ops[0, vm.A_MODE] == vm.GATHER


def test_the_pass_remembers_tapes_by_their_operations():
    from renaissance.engine import tapeopt, vm

    ops, index, _ = _tape(vm.ADD, 4, 5, ["rows", "columns"], [vm.WORK, vm.WORK])
    memo: dict = {}
    first = tapeopt.block_gathers(ops, index, memo)
    again = tapeopt.block_gathers(ops.copy(), index, memo)
    assert len(memo) == 1 and again[0] is first[0] and again[1] is first[1]
    other = ops.copy()
    other[0, vm.OUT] += 1  # another operation: rewritten on its own
    moved = tapeopt.block_gathers(other, index, memo)
    assert len(memo) == 2 and moved[0][0, vm.OUT] == first[0][0, vm.OUT] + 1


def _blocked_row(opcode, size, aux, strides, mode_b=None):
    from renaissance.engine import vm

    b = (vm.WORK, 0, vm.CONTIGUOUS, 0) if mode_b is None else mode_b
    row = _op(opcode, 40, size, [(vm.WORK, 0, vm.BLOCKED, 0), b], aux=aux)
    return np.array([row]), np.array(strides, dtype=np.int64)


@pytest.mark.parametrize(
    ("case", "column"),
    [
        ("aux does not divide size", "A_MODE"),
        ("no block", "A_MODE"),
        ("negative stride", "A_INDEX"),
        ("strides outside index", "A_INDEX"),
        ("reads past the work array", "A_OFFSET"),
        ("reads what it writes", "A_OFFSET"),
        ("mixed with a gather", "AUX"),
        ("in a reduction", "A_MODE"),
    ],
)
def test_check_tape_refuses_malformed_blocked_inputs(case, column):
    from renaissance.engine import vm

    rows = 60
    if case == "aux does not divide size":
        ops, index = _blocked_row(vm.ADD, 10, 4, [4, 1])
    elif case == "no block":
        ops, index = _blocked_row(vm.ADD, 10, 0, [4, 1])
    elif case == "negative stride":
        ops, index = _blocked_row(vm.ADD, 10, 5, [-1, 1])
    elif case == "strides outside index":
        ops, index = _blocked_row(vm.ADD, 10, 5, [4])
    elif case == "reads past the work array":
        ops, index = _blocked_row(vm.ADD, 10, 5, [58, 1])  # cells 58..62 of 60 rows
    elif case == "reads what it writes":
        ops, index = _blocked_row(vm.ADD, 10, 5, [38, 1])  # cells 38..42 meet 40..49
    elif case == "mixed with a gather":
        ops, index = _blocked_row(vm.ADD, 10, 5, [4, 1], mode_b=(vm.WORK, 0, vm.GATHER, 0))
        index = np.arange(12, dtype=np.int64)
    else:
        ops, index = _blocked_row(vm.REDUCE_SUM, 2, 5, [4, 1])
        ops[0, vm.INNER] = 5
    assert vm.check_tape(ops, index, 0, 0, rows) == (0, getattr(vm, column))


def test_the_showcase_runs_the_same_bit_for_bit_with_and_without_blocked_rows(monkeypatch):
    from renaissance.engine import load_model, tapeopt, vm
    from renaissance.paths import MODEL_FILE

    model = load_model(MODEL_FILE, backend="vm")
    blocked = model.run(final_time=2000)
    ops = compiled._WORK[id(model.plan)]
    assert (ops[:, [vm.A_MODE, vm.B_MODE, vm.C_MODE]] == vm.BLOCKED).sum() >= 10
    monkeypatch.setattr(tapeopt, "block_gathers", lambda ops, index, memo: (ops, index))
    gathered = model.run(final_time=2000)
    ops = compiled._WORK[id(model.plan)]
    assert not (ops[:, [vm.A_MODE, vm.B_MODE, vm.C_MODE]] == vm.BLOCKED).any()
    for name in blocked.data_vars:
        np.testing.assert_array_equal(blocked[name], gathered[name], err_msg=name)
