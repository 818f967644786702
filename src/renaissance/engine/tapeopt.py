"""Fewer operations on a tape (:mod:`renaissance.engine.tape`) before the machine runs it.

Most operations of a traced step are small, so on the virtual machine a single run's
cost grows with the number of operations more than with their sizes: the passes below
remove work the numpy plan needed but the machine does not. None changes a finite value.

- :func:`fold_copies`: a copy that only moves cells (an axis reordered, a dim broadcast,
  an element picked) is folded into the operations reading it, which then read the
  copy's source through a composed gather.
- :func:`drop_dead`: operations whose results nothing reads (no later operation, no
  derivative, no returned variable) are removed.
- :func:`split_static`: once a run's constants are bound, operations that read only
  member-shared constants give the same values at every evaluation; they run once per
  run (the prologue) instead of at every evaluation.
- :func:`skip_zero_terms`: a sum of products one of whose factors is a bound shared
  constant (a membership or weight matrix) drops the terms whose constant is exactly
  zero, per run.
- :func:`block_gathers`: element-wise operations whose gathered inputs are regular
  (broadcasts, transposes) read them through two strides instead of a position a cell.

Rows are the rows of the work array; an operation writes rows ``OUT .. OUT + SIZE``
(a SCATTER writes ``OUT + positions``) and reads, per input in the work space, rows
``OFFSET + cell`` for the cells its mode gives.
"""

from __future__ import annotations

import numpy as np

from renaissance.engine import vm
from renaissance.engine.memo import remember

INPUTS = (
    (vm.A_SPACE, vm.A_OFFSET, vm.A_MODE, vm.A_INDEX),
    (vm.B_SPACE, vm.B_OFFSET, vm.B_MODE, vm.B_INDEX),
    (vm.C_SPACE, vm.C_OFFSET, vm.C_MODE, vm.C_INDEX),
)
GROUPED = (vm.REDUCE_SUM, vm.REDUCE_PROD, vm.REDUCE_MIN, vm.REDUCE_MAX, vm.SUMPROD)


def input_count(op) -> int:
    """Inputs an operation reads (INTERP's second input is its table in ``shared``)."""
    code = int(op[vm.OPCODE])
    if code in (vm.WHERE, vm.SAFE_DIVIDE):
        return 3
    if code in (vm.SUMPROD, vm.INTERP) or vm.ADD <= code < vm.WHERE:
        return 2
    return 1


def reads_of(op, which: int) -> int:
    """Number of cells input ``which`` is read at."""
    code = int(op[vm.OPCODE])
    size = int(op[vm.SIZE])
    return size * max(1, int(op[vm.INNER])) if code in GROUPED else size


def cells_of(op, which: int, index: np.ndarray) -> np.ndarray:
    """Cells (relative to the input's offset) input ``which`` is read at, in order."""
    _, _, mode, start = INPUTS[which]
    count = reads_of(op, which)
    mode = int(op[mode])
    if mode == vm.SCALAR:
        return np.zeros(count, dtype=np.int64)
    if mode == vm.CONTIGUOUS:
        return np.arange(count, dtype=np.int64)
    if mode == vm.BLOCKED:
        block = int(op[vm.AUX])
        outer, inner = index[int(op[start]) : int(op[start]) + 2]
        k = np.arange(count, dtype=np.int64)
        return (k // block) * outer + (k % block) * inner
    return index[int(op[start]) : int(op[start]) + count]


def work_inputs(op, index: np.ndarray):
    """``(which, rows)`` of every input read from the work array."""
    out = []
    for which in range(input_count(op)):
        space, offset = INPUTS[which][0], INPUTS[which][1]
        if int(op[space]) == vm.WORK and not (which == 1 and op[vm.OPCODE] == vm.INTERP):
            out.append((which, int(op[offset]) + cells_of(op, which, index)))
    return out


def written_rows(op, index: np.ndarray) -> np.ndarray:
    first, size = int(op[vm.OUT]), int(op[vm.SIZE])
    if op[vm.OPCODE] == vm.SCATTER:
        return first + index[int(op[vm.AUX]) : int(op[vm.AUX]) + size]
    return np.arange(first, first + size)


class Editor:
    """Operations and gather positions being rewritten (positions appended as needed)."""

    def __init__(self, ops: np.ndarray, index: np.ndarray):
        self.ops = ops.copy()
        self.parts = [index]
        self.current = index

    def positions(self, cells: np.ndarray) -> int:
        offset = self.current.size
        self.current = np.concatenate([self.current, np.asarray(cells, dtype=np.int64)])
        return offset


def fold_copies(ops: np.ndarray, index: np.ndarray, protected: np.ndarray):
    """Fold pure data-movement COPY operations into their readers.

    Parameters
    ----------
    ops, index : ndarray
        The tape (input spaces of environment constants may still be symbolic, < 0).
    protected : ndarray of bool, shape (work rows,)
        Rows that must keep their values (returned variables, derivatives, states).

    Returns
    -------
    ops, index : ndarray
        The rewritten tape; folded copies stay in place until :func:`drop_dead`.
    """
    editor = Editor(ops, index)
    ops = editor.ops
    last_writer = np.full(len(protected), -1)
    readers: dict[int, list[tuple[int, int]]] = {}
    for number, op in enumerate(ops):
        last_writer[written_rows(op, index)] = number
        for which in range(input_count(op)):
            space, offset = int(op[INPUTS[which][0]]), int(op[INPUTS[which][1]])
            if space == vm.WORK and not (which == 1 and op[vm.OPCODE] == vm.INTERP):
                readers.setdefault(offset, []).append((number, which))
    for number, op in enumerate(ops):
        if op[vm.OPCODE] != vm.COPY:
            continue
        first, size = int(op[vm.OUT]), int(op[vm.SIZE])
        if (
            protected[first : first + size].any()
            or (last_writer[first : first + size] > number).any()
        ):
            continue  # returned, or written again later (a SCATTER): keep the copy
        space, offset = int(op[vm.A_SPACE]), int(op[vm.A_OFFSET])
        cells = cells_of(op, 0, editor.current)
        if space == vm.WORK and (last_writer[offset + cells] > number).any():
            continue  # the source changes after the copy: its readers need the copy
        for row in range(first, first + size):
            for reader, which in readers.get(row, ()):
                if reader > number:
                    _compose(editor, reader, which, first, space, offset, cells)
                    if space == vm.WORK:
                        readers.setdefault(int(ops[reader][INPUTS[which][1]]), []).append(
                            (reader, which)
                        )
    return ops, editor.current


def _compose(editor, reader, which, first, space, offset, source_cells):
    """Make input ``which`` of ``reader`` read the copy's source instead of the copy."""
    op = editor.ops[reader]
    space_column, offset_column, mode_column, index_column = INPUTS[which]
    relative = int(op[offset_column]) - first + cells_of(op, which, editor.current)
    cells = source_cells[relative]
    op[space_column] = space
    grouped = op[vm.OPCODE] in GROUPED
    if op[mode_column] == vm.SCALAR or (not grouped and (cells == cells[0]).all()):
        op[offset_column], op[mode_column], op[index_column] = offset + int(cells[0]), vm.SCALAR, 0
    elif not grouped and np.array_equal(cells, np.arange(cells.size)):
        op[offset_column], op[mode_column], op[index_column] = offset, vm.CONTIGUOUS, 0
    else:
        op[offset_column], op[mode_column] = offset, vm.GATHER
        op[index_column] = editor.positions(cells)


def drop_dead(ops: np.ndarray, index: np.ndarray, live: np.ndarray) -> np.ndarray:
    """Indices of the operations to keep: those writing a row read later or kept.

    ``live`` (bool per work row) marks the rows that must hold their values after an
    evaluation (returned variables, derivatives).
    """
    live = live.copy()
    keep = np.zeros(len(ops), dtype=bool)
    for number in range(len(ops) - 1, -1, -1):
        op = ops[number]
        written = written_rows(op, index)
        if not live[written].any():
            continue
        keep[number] = True
        if op[vm.OPCODE] != vm.SCATTER:
            live[written] = False
        for _, rows in work_inputs(op, index):
            live[rows] = True
    return np.flatnonzero(keep)


def split_static(ops: np.ndarray, index: np.ndarray, dynamic_rows: np.ndarray) -> np.ndarray:
    """Mask of the operations that give the same values at every evaluation of a run.

    Parameters
    ----------
    ops, index : ndarray
        A bound tape (no symbolic spaces).
    dynamic_rows : ndarray of bool, shape (work rows,)
        Rows set by the machine at each evaluation (time, held time, states).
    """
    dynamic = dynamic_rows.copy()
    static = np.zeros(len(ops), dtype=bool)
    for number, op in enumerate(ops):
        constant = True
        for which in range(input_count(op)):
            space = int(op[INPUTS[which][0]])
            if space == vm.MEMBER:
                constant = False
        for _, rows in work_inputs(op, index):
            if dynamic[rows].any():
                constant = False
        written = written_rows(op, index)
        if op[vm.OPCODE] == vm.SCATTER and dynamic[written].any():
            constant = False
        static[number] = constant
        if not constant:
            dynamic[written] = True
    return static


def skip_zero_terms(ops: np.ndarray, index: np.ndarray, shared: np.ndarray, memo: dict):
    """SUMPRODs with a shared factor, without the terms whose shared factor is zero.

    Parameters
    ----------
    ops : ndarray of int64, shape (n_ops, NCOLUMNS)
        A bound tape (concrete spaces).
    index : ndarray of int64
        Its index.
    shared : ndarray of float64, shape (S,)
        The run's shared values.
    memo : dict
        Kept between runs of the same tape (same ``index``): (operation, factor values) ->
        the operation's new terms.

    Returns
    -------
    (ops, index, shared)
        Unchanged if no row gains; otherwise a copy of ``ops`` with fewer terms per cell
        (INNER) in those rows, ``index`` with their new positions appended and ``shared``
        with one 0.0 appended.

    Notes
    -----
    A cell's kept terms stay in order, so finite sums are unchanged bit for bit (adding
    ``0 * x`` never changes a finite total). Cells with fewer kept terms than the row's
    widest are padded with ``0.0 * x``, ``x`` the first kept term's other factor. Where
    that other factor is infinite or NaN the sum can differ from the dense one (NaN
    instead of infinity, or a finite total where a dropped ``0 * inf`` gave NaN), as the
    numpy plan's sparse sums over memberships do.
    """
    zero = shared.size  # the cell a padding term reads
    new_parts, gained = [], {}
    length = index.size
    for row in np.flatnonzero(ops[:, vm.OPCODE] == vm.SUMPROD):
        op = ops[row]
        factor = next((which for which in (0, 1) if op[INPUTS[which][0]] == vm.SHARED), None)
        if factor is None:
            continue
        n, q = int(op[vm.SIZE]), int(op[vm.INNER])
        own = cells_of(op, factor, index).reshape(n, q)
        values = shared[int(op[INPUTS[factor][1]]) + own]
        key = (op.tobytes(), values.tobytes())  # the operation itself, not its row
        terms = memo.get(key)
        if terms is None:
            terms = memo[key] = _kept_terms(op, factor, index, own, values, zero)
        if terms is None:
            continue
        gained[row] = (factor, terms[0], length)
        new_parts.extend(terms[1:])
        length += terms[1].size + terms[2].size
    if not gained:
        return ops, index, shared
    ops = ops.copy()
    for row, (factor, inner, start) in gained.items():
        starts = [0, 0]
        width = ops[row, vm.SIZE] * inner
        starts[factor] = start
        starts[1 - factor] = start + width
        ops[row, vm.INNER] = inner
        ops[row, vm.A_INDEX], ops[row, vm.B_INDEX] = starts
    return ops, np.concatenate([index, *new_parts]), np.append(shared, 0.0)


def _kept_terms(op, factor, index, own, values, zero):
    """(inner, factor positions, other positions) without zero terms, or None.

    ``own`` (n, q): the factor's cells; ``values`` (n, q): its values there.
    """
    n, q = values.shape
    keep = values != 0.0  # NaN is kept
    inner = max(1, int(keep.sum(axis=1).max()))
    if inner >= q:
        return None
    order = np.argsort(~keep, axis=1, kind="stable")[:, :inner]
    taken = np.take_along_axis(keep, order, axis=1)
    own = np.take_along_axis(own, order, axis=1)
    other = np.take_along_axis(cells_of(op, 1 - factor, index).reshape(n, q), order, axis=1)
    own = np.where(taken, own, zero - int(op[INPUTS[factor][1]]))
    other = np.where(taken, other, other[:, :1])
    return inner, own.reshape(-1).astype(np.int64), other.reshape(-1).astype(np.int64)


ELEMENTWISE = (*vm.UNARY_OPCODES, *vm.BINARY_OPCODES, *vm.TERNARY_OPCODES)
MIN_BLOCK = 4
"""Shortest inner loop worth a blocked input (shorter ones stay gathered)."""
MEMO_SIZE = 16
"""Tapes :func:`block_gathers` remembers (then it starts over)."""


def block_gathers(ops: np.ndarray, index: np.ndarray, memo: dict):
    """Element-wise operations whose gathers are regular read through strides instead.

    A broadcast or a transpose of a (district x industry) array is a gather whose cells
    follow ``first + o * s1 + i * s2`` for output cell ``o * block + i``. Such inputs
    become :data:`~renaissance.engine.vm.BLOCKED` (their two strides appended to
    ``index``; ``block`` in the row's AUX column) when every gathered input of the row
    fits the same block of at least :data:`MIN_BLOCK` cells: the machine then reads
    them in two nested loops, without loading a position per cell.

    Parameters
    ----------
    ops : ndarray of int64, shape (n_ops, NCOLUMNS)
    index : ndarray of int64
    memo : dict
        Kept between runs of the same tape (same ``index``): the operations -> the
        rewritten tape. The returned arrays are shared by those runs: read them only.

    Returns
    -------
    (ops, index)
        Unchanged if no row is blocked; otherwise a copy of ``ops`` and ``index`` with
        the strides appended. Values are the same, bit for bit: the same cells are read
        and the same function applied.
    """
    return remember(memo, ops.tobytes(), lambda: _block_gathers(ops, index), MEMO_SIZE)


def _block_gathers(ops, index):
    rows = np.flatnonzero(np.isin(ops[:, vm.OPCODE], ELEMENTWISE))
    blocked, parts, length = {}, [], index.size
    for row in rows:
        op = ops[row]
        gathered = [w for w in range(input_count(op)) if op[INPUTS[w][2]] == vm.GATHER]
        if not gathered:
            continue
        cells = [cells_of(op, which, index) for which in gathered]
        found = _common_block(cells)
        if found is None:
            continue
        block, strides = found
        blocked[row] = (block, gathered, [int(c[0]) for c in cells], length)
        parts.append(np.asarray(strides, dtype=np.int64).reshape(-1))
        length += 2 * len(gathered)
    if not blocked:
        return ops, index
    ops = ops.copy()
    for row, (block, gathered, firsts, start) in blocked.items():
        ops[row, vm.AUX] = block
        for number, (which, first) in enumerate(zip(gathered, firsts, strict=True)):
            _, offset, mode, position = INPUTS[which]
            ops[row, offset] += first
            ops[row, mode] = vm.BLOCKED
            ops[row, position] = start + 2 * number
    return ops, np.concatenate([index, *parts])


def _common_block(cells: list) -> tuple | None:
    """(block, [(outer stride, inner stride) per input]) common to ``cells``, or None.

    The longest block (of at least MIN_BLOCK cells) for which every input's cells are
    ``c[0] + o * outer + i * inner`` with non-negative strides.
    """
    count = cells[0].size
    for block in range(count, MIN_BLOCK - 1, -1):
        if count % block:
            continue
        strides = [_strides(c, block) for c in cells]
        if all(s is not None for s in strides):
            return block, strides
    return None


def _strides(cells: np.ndarray, block: int):
    """(outer, inner) strides of ``cells`` read in blocks of ``block``, or None."""
    inner = int(cells[1] - cells[0]) if block > 1 else 0
    outer = int(cells[block] - cells[0]) if cells.size > block else 0
    if inner < 0 or outer < 0:
        return None
    k = np.arange(cells.size)
    expected = cells[0] + (k // block) * outer + (k % block) * inner
    return (outer, inner) if np.array_equal(cells, expected) else None
