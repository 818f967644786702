"""A Numba virtual machine that runs the engine's traced step program.

The tracer records one evaluation of a model's right-hand side as a *tape*: a table of
simple operations over a float64 workspace. This module executes that tape with no
Python overhead per operation (:func:`evaluate`) and integrates a model over time with
fixed-step Euler or RK4 (:func:`integrate`, :func:`integrate_parallel`), for a block of
ensemble members ("lanes") at once.

Data layout
-----------
``work`` : float64 (W, L), C order
    Every dynamic value of the L members of the current block, cell-major, lane-minor.
``shared`` : float64 (S,)
    Values equal for every member: constants, lookup tables.
``members`` : float64 (P, E), C order
    Per-member constants, cell-major, member-minor; lane ``l`` of the block starting at
    member ``m0`` reads ``members[p, m0 + l]``. P may be 0.
``index`` : int64 (I,)
    All gather and position index arrays, concatenated.
``ops`` : int64 (n_ops, NCOLUMNS), C order
    One row per operation, executed in row order; the columns are named by the module
    constants ``OPCODE`` .. ``C_INDEX``.

The interpreter itself reads one array: :func:`integrate` gives each block of lanes a
memory of the work rows followed by copies of the shared values and of the block's
member constants, and runs the tape translated to that layout (see the kernels section).

Input ``X`` (A, B or C) of an operation, read for output cell ``k``: the cell is ``k``
(``CONTIGUOUS``), ``0`` (``SCALAR``), ``index[X_INDEX + k]`` (``GATHER``) or, for
element-wise operations only, ``o * index[X_INDEX] + i * index[X_INDEX + 1]`` where
``k = o * AUX + i`` and ``i < AUX`` (``BLOCKED``: a regular gather, such as a broadcast
or a transpose, read in blocks of AUX cells through two strides); the value for
lane ``l`` is ``work[X_OFFSET + cell, l]`` (``WORK``), ``shared[X_OFFSET + cell]``
(``SHARED``) or ``members[X_OFFSET + cell, m0 + l]`` (``MEMBER``). The output is
``work[OUT + k, l]`` for ``k < SIZE``.

Opcodes
-------
Element-wise operations follow numpy's float64 ufuncs (booleans are 1.0/0.0), bit for bit
except the transcendental functions (EXP to TANH, POWER, ARCTAN2, HYPOT): those call the C
math library, which may differ from numpy's SIMD versions in the last bit or two.

- unary, A (0-25): ``COPY`` 0, ``NEGATIVE`` 1, ``ABSOLUTE`` 2, ``EXP`` 3, ``LOG`` 4,
  ``LOG10`` 5, ``SQRT`` 6, ``SIN`` 7, ``COS`` 8, ``TAN`` 9, ``ARCSIN`` 10, ``ARCCOS`` 11,
  ``ARCTAN`` 12, ``SINH`` 13, ``COSH`` 14, ``TANH`` 15, ``TRUNC`` 16, ``FLOOR`` 17,
  ``CEIL`` 18, ``SIGN`` 19, ``LOGICAL_NOT`` 20, ``ISFINITE`` 21, ``ISNAN`` 22,
  ``NONZERO`` 23, ``SQUARE`` 24, ``RECIPROCAL`` 25.
- binary, A and B (32-54): ``ADD`` 32, ``SUBTRACT`` 33, ``MULTIPLY`` 34, ``DIVIDE`` 35,
  ``POWER`` 36, ``MINIMUM`` 37, ``MAXIMUM`` 38, ``FMIN`` 39, ``FMAX`` 40, ``EQUAL`` 41,
  ``NOT_EQUAL`` 42, ``LESS`` 43, ``LESS_EQUAL`` 44, ``GREATER`` 45, ``GREATER_EQUAL`` 46,
  ``LOGICAL_AND`` 47, ``LOGICAL_OR`` 48, ``LOGICAL_XOR`` 49, ``MOD`` 50, ``FMOD`` 51,
  ``FLOOR_DIVIDE`` 52, ``ARCTAN2`` 53, ``HYPOT`` 54.
- ternary, A, B and C (64-65): ``WHERE`` 64 (B where A != 0, NaN counting as true, else
  C), ``SAFE_DIVIDE`` 65 (C where ``|B| < 1e-6`` else A / B).

Structured operations (80-86):

- ``REDUCE_SUM`` 80, ``REDUCE_PROD`` 81, ``REDUCE_MIN`` 82, ``REDUCE_MAX`` 83: output
  cell ``k`` reduces, left to right, A at the q = ``INNER`` cells
  ``index[A_INDEX + k q + j]``, j < q. MIN and MAX propagate NaN like ``np.min``.
- ``SUMPROD`` 84: ``sum_j A(index[A_INDEX + k q + j]) * B(index[B_INDEX + k q + j])``,
  left to right.
- ``INTERP`` 85: clamped piecewise-linear interpolation of A(k) on the increasing grid
  ``shared[AUX : AUX + nx]`` (nx = ``INNER``), y values
  ``shared[B_OFFSET + r : B_OFFSET + r + nx]`` with ``r`` 0 (B ``SCALAR``) or
  ``index[B_INDEX + k]`` (B ``GATHER``). NaN gives NaN.
- ``SCATTER`` 86: ``work[OUT + index[AUX + j], l] = A(j)`` for j < ``SIZE``.

Every function is compiled with ``cache=True``: the machine code is stored next to this
file (or in the user's cache directory when that is not writable), so only the first run
on a machine waits for compilation (measured on 2 cores: about 8–9 minutes for
:func:`evaluate`, :func:`integrate` and :func:`integrate_parallel`, the interpreter's
kernels, each with its blocked, one-lane and several-lane loops, being inlined into
each; then about a second).
Editing this file invalidates the cache. The tape is trusted: offsets are not checked at
run time (Numba's default); :func:`check_tape` verifies a tape once, before it is run.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import types
from numba.extending import overload

# ---- columns of the operation table ----------------------------------------------------

OPCODE = 0
OUT = 1
SIZE = 2
INNER = 3
AUX = 4
A_SPACE = 5
A_OFFSET = 6
A_MODE = 7
A_INDEX = 8
B_SPACE = 9
B_OFFSET = 10
B_MODE = 11
B_INDEX = 12
C_SPACE = 13
C_OFFSET = 14
C_MODE = 15
C_INDEX = 16
NCOLUMNS = 17

# ---- spaces and modes of an input ------------------------------------------------------

WORK = 0
SHARED = 1
MEMBER = 2

CONTIGUOUS = 0
SCALAR = 1
GATHER = 2
BLOCKED = 3

# ---- opcodes ---------------------------------------------------------------------------

COPY = 0
NEGATIVE = 1
ABSOLUTE = 2
EXP = 3
LOG = 4
LOG10 = 5
SQRT = 6
SIN = 7
COS = 8
TAN = 9
ARCSIN = 10
ARCCOS = 11
ARCTAN = 12
SINH = 13
COSH = 14
TANH = 15
TRUNC = 16
FLOOR = 17
CEIL = 18
SIGN = 19
LOGICAL_NOT = 20
ISFINITE = 21
ISNAN = 22
NONZERO = 23
SQUARE = 24
RECIPROCAL = 25

ADD = 32
SUBTRACT = 33
MULTIPLY = 34
DIVIDE = 35
POWER = 36
MINIMUM = 37
MAXIMUM = 38
FMIN = 39
FMAX = 40
EQUAL = 41
NOT_EQUAL = 42
LESS = 43
LESS_EQUAL = 44
GREATER = 45
GREATER_EQUAL = 46
LOGICAL_AND = 47
LOGICAL_OR = 48
LOGICAL_XOR = 49
MOD = 50
FMOD = 51
FLOOR_DIVIDE = 52
ARCTAN2 = 53
HYPOT = 54

WHERE = 64
SAFE_DIVIDE = 65

REDUCE_SUM = 80
REDUCE_PROD = 81
REDUCE_MIN = 82
REDUCE_MAX = 83
SUMPROD = 84
INTERP = 85
SCATTER = 86

UNARY_OPCODES = tuple(range(COPY, RECIPROCAL + 1))
"""Opcodes reading A only, element-wise."""
BINARY_OPCODES = tuple(range(ADD, HYPOT + 1))
"""Opcodes reading A and B, element-wise."""
TERNARY_OPCODES = (WHERE, SAFE_DIVIDE)
"""Opcodes reading A, B and C, element-wise."""
STRUCTURED_OPCODES = tuple(range(REDUCE_SUM, SCATTER + 1))
"""Reductions, SUMPROD, INTERP and SCATTER."""

OPCODE_NAMES = {
    globals()[name]: name
    for name in (
        "COPY NEGATIVE ABSOLUTE EXP LOG LOG10 SQRT SIN COS TAN ARCSIN ARCCOS ARCTAN SINH COSH"
        " TANH TRUNC FLOOR CEIL SIGN LOGICAL_NOT ISFINITE ISNAN NONZERO SQUARE RECIPROCAL"
        " ADD SUBTRACT MULTIPLY DIVIDE POWER MINIMUM MAXIMUM FMIN FMAX EQUAL NOT_EQUAL LESS"
        " LESS_EQUAL GREATER GREATER_EQUAL LOGICAL_AND LOGICAL_OR LOGICAL_XOR MOD FMOD"
        " FLOOR_DIVIDE ARCTAN2 HYPOT WHERE SAFE_DIVIDE REDUCE_SUM REDUCE_PROD REDUCE_MIN"
        " REDUCE_MAX SUMPROD INTERP SCATTER"
    ).split()
}
"""Opcode number -> name, for messages and tape listings."""

EULER = 0
"""``method`` of :func:`integrate`: forward Euler."""
RK4 = 1
"""``method`` of :func:`integrate`: classical fourth-order Runge-Kutta."""

SAFE_DIVIDE_THRESHOLD = 1e-6
"""SAFE_DIVIDE returns C where ``|B|`` is below this."""

# ---- element functions -----------------------------------------------------------------
# Scalar float64 -> float64, numpy's semantics. ``error_model="numpy"`` makes division by
# zero give inf/NaN instead of raising, as numpy does.


@numba.njit(cache=True, error_model="numpy")
def _copy(a):
    return a


@numba.njit(cache=True, error_model="numpy")
def _negative(a):
    return -a


@numba.njit(cache=True, error_model="numpy")
def _absolute(a):
    return np.abs(a)


@numba.njit(cache=True, error_model="numpy")
def _exp(a):
    return np.exp(a)


@numba.njit(cache=True, error_model="numpy")
def _log(a):
    return np.log(a)


@numba.njit(cache=True, error_model="numpy")
def _log10(a):
    return np.log10(a)


@numba.njit(cache=True, error_model="numpy")
def _sqrt(a):
    return np.sqrt(a)


@numba.njit(cache=True, error_model="numpy")
def _sin(a):
    return np.sin(a)


@numba.njit(cache=True, error_model="numpy")
def _cos(a):
    return np.cos(a)


@numba.njit(cache=True, error_model="numpy")
def _tan(a):
    return np.tan(a)


@numba.njit(cache=True, error_model="numpy")
def _arcsin(a):
    return np.arcsin(a)


@numba.njit(cache=True, error_model="numpy")
def _arccos(a):
    return np.arccos(a)


@numba.njit(cache=True, error_model="numpy")
def _arctan(a):
    return np.arctan(a)


@numba.njit(cache=True, error_model="numpy")
def _sinh(a):
    return np.sinh(a)


@numba.njit(cache=True, error_model="numpy")
def _cosh(a):
    return np.cosh(a)


@numba.njit(cache=True, error_model="numpy")
def _tanh(a):
    return np.tanh(a)


@numba.njit(cache=True, error_model="numpy")
def _trunc(a):
    return np.trunc(a)


@numba.njit(cache=True, error_model="numpy")
def _floor(a):
    return np.floor(a)


@numba.njit(cache=True, error_model="numpy")
def _ceil(a):
    return np.ceil(a)


@numba.njit(cache=True, error_model="numpy")
def _sign(a):
    # np.sign: +1, -1, 0 for either zero (a positive zero), NaN for NaN
    if a > 0.0:
        return 1.0
    if a < 0.0:
        return -1.0
    if a == 0.0:
        return 0.0
    return a


@numba.njit(cache=True, error_model="numpy")
def _logical_not(a):
    return 1.0 if a == 0.0 else 0.0


@numba.njit(cache=True, error_model="numpy")
def _isfinite(a):
    return 1.0 if np.isfinite(a) else 0.0


@numba.njit(cache=True, error_model="numpy")
def _isnan(a):
    return 1.0 if a != a else 0.0


@numba.njit(cache=True, error_model="numpy")
def _nonzero(a):
    return 1.0 if a != 0.0 else 0.0


@numba.njit(cache=True, error_model="numpy")
def _square(a):
    return a * a


@numba.njit(cache=True, error_model="numpy")
def _reciprocal(a):
    return 1.0 / a


@numba.njit(cache=True, error_model="numpy")
def _add(a, b):
    return a + b


@numba.njit(cache=True, error_model="numpy")
def _subtract(a, b):
    return a - b


@numba.njit(cache=True, error_model="numpy")
def _multiply(a, b):
    return a * b


@numba.njit(cache=True, error_model="numpy")
def _divide(a, b):
    return a / b


@numba.njit(cache=True, error_model="numpy")
def _power(a, b):
    return np.power(a, b)


@numba.njit(cache=True, error_model="numpy")
def _minimum(a, b):
    # np.minimum: a NaN in either propagates; ties (0.0 and -0.0) give b, as numpy's loops do
    if a != a:
        return a
    return a if a < b else b


@numba.njit(cache=True, error_model="numpy")
def _maximum(a, b):
    if a != a:
        return a
    return a if a > b else b


@numba.njit(cache=True, error_model="numpy")
def _fmin(a, b):
    # np.fmin: a NaN loses to a number
    if b != b:
        return a
    return a if a < b else b


@numba.njit(cache=True, error_model="numpy")
def _fmax(a, b):
    if b != b:
        return a
    return a if a > b else b


@numba.njit(cache=True, error_model="numpy")
def _equal(a, b):
    return 1.0 if a == b else 0.0


@numba.njit(cache=True, error_model="numpy")
def _not_equal(a, b):
    return 1.0 if a != b else 0.0


@numba.njit(cache=True, error_model="numpy")
def _less(a, b):
    return 1.0 if a < b else 0.0


@numba.njit(cache=True, error_model="numpy")
def _less_equal(a, b):
    return 1.0 if a <= b else 0.0


@numba.njit(cache=True, error_model="numpy")
def _greater(a, b):
    return 1.0 if a > b else 0.0


@numba.njit(cache=True, error_model="numpy")
def _greater_equal(a, b):
    return 1.0 if a >= b else 0.0


@numba.njit(cache=True, error_model="numpy")
def _logical_and(a, b):
    return 1.0 if (a != 0.0 and b != 0.0) else 0.0


@numba.njit(cache=True, error_model="numpy")
def _logical_or(a, b):
    return 1.0 if (a != 0.0 or b != 0.0) else 0.0


@numba.njit(cache=True, error_model="numpy")
def _logical_xor(a, b):
    return 1.0 if ((a != 0.0) != (b != 0.0)) else 0.0


@numba.njit(cache=True, error_model="numpy")
def _fmod(a, b):
    return np.fmod(a, b)


@numba.njit(cache=True, error_model="numpy")
def _divmod(a, b):
    """Floor quotient and remainder of float64 a / b, numpy's ``npy_divmod``, b != 0."""
    remainder = np.fmod(a, b)
    quotient = (a - remainder) / b
    if remainder != 0.0:  # NaN counts as nonzero, as in C
        if (b < 0.0) != (remainder < 0.0):
            remainder += b
            quotient -= 1.0
    else:
        remainder = np.copysign(0.0, b)
    if quotient != 0.0:
        floor_quotient = np.floor(quotient)
        if quotient - floor_quotient > 0.5:
            floor_quotient += 1.0
    else:
        floor_quotient = np.copysign(0.0, a / b)
    return floor_quotient, remainder


@numba.njit(cache=True, error_model="numpy")
def _mod(a, b):
    # np.remainder (np.mod): the sign of the divisor; NaN for b == 0
    if b == 0.0:
        return np.fmod(a, b)
    return _divmod(a, b)[1]


@numba.njit(cache=True, error_model="numpy")
def _floor_divide(a, b):
    # np.floor_divide on floats: a / b for b == 0 (inf or NaN)
    if b == 0.0:
        return a / b
    return _divmod(a, b)[0]


@numba.njit(cache=True, error_model="numpy")
def _arctan2(a, b):
    return np.arctan2(a, b)


@numba.njit(cache=True, error_model="numpy")
def _hypot(a, b):
    return np.hypot(a, b)


@numba.njit(cache=True, error_model="numpy")
def _where(a, b, c):
    return b if a != 0.0 else c


@numba.njit(cache=True, error_model="numpy")
def _safe_divide(a, b, c):
    return c if abs(b) < SAFE_DIVIDE_THRESHOLD else a / b


UNARY_FUNCTIONS = {
    COPY: _copy,
    NEGATIVE: _negative,
    ABSOLUTE: _absolute,
    EXP: _exp,
    LOG: _log,
    LOG10: _log10,
    SQRT: _sqrt,
    SIN: _sin,
    COS: _cos,
    TAN: _tan,
    ARCSIN: _arcsin,
    ARCCOS: _arccos,
    ARCTAN: _arctan,
    SINH: _sinh,
    COSH: _cosh,
    TANH: _tanh,
    TRUNC: _trunc,
    FLOOR: _floor,
    CEIL: _ceil,
    SIGN: _sign,
    LOGICAL_NOT: _logical_not,
    ISFINITE: _isfinite,
    ISNAN: _isnan,
    NONZERO: _nonzero,
    SQUARE: _square,
    RECIPROCAL: _reciprocal,
}
"""Unary opcode -> compiled scalar function."""

BINARY_FUNCTIONS = {
    ADD: _add,
    SUBTRACT: _subtract,
    MULTIPLY: _multiply,
    DIVIDE: _divide,
    POWER: _power,
    MINIMUM: _minimum,
    MAXIMUM: _maximum,
    FMIN: _fmin,
    FMAX: _fmax,
    EQUAL: _equal,
    NOT_EQUAL: _not_equal,
    LESS: _less,
    LESS_EQUAL: _less_equal,
    GREATER: _greater,
    GREATER_EQUAL: _greater_equal,
    LOGICAL_AND: _logical_and,
    LOGICAL_OR: _logical_or,
    LOGICAL_XOR: _logical_xor,
    MOD: _mod,
    FMOD: _fmod,
    FLOOR_DIVIDE: _floor_divide,
    ARCTAN2: _arctan2,
    HYPOT: _hypot,
}
"""Binary opcode -> compiled scalar function."""

TERNARY_FUNCTIONS = {WHERE: _where, SAFE_DIVIDE: _safe_divide}
"""Ternary opcode -> compiled scalar function."""

REDUCTION_FUNCTIONS = {
    REDUCE_SUM: _add,
    REDUCE_PROD: _multiply,
    REDUCE_MIN: _minimum,
    REDUCE_MAX: _maximum,
}
"""Reduction opcode -> compiled scalar function combining two values."""


# ---- kernels ---------------------------------------------------------------------------
# The interpreter runs a *program*: the tape translated (:func:`_translate`) to read every
# input from one float64 memory array, ``memory[cell * lanes + lane]``, whose cells are
# the W work rows, then the S shared values and the P member constants of the block,
# copied in (every lane holding the same shared value). A program row holds the opcode,
# OUT, SIZE, INNER and AUX of the tape row and, per input, its first memory cell, its mode
# and its index start (PROGRAM_COLUMNS); INTERP's tables stay in ``shared``.
#
# Performance notes (measured on the showcase tape, one lane: 28 us an evaluation with
# three arrays and per-input descriptors, 19 us with one memory array; 20 ns a one-cell
# operation before, 6 ns after):
# - One array: choosing an input's array per operation, and passing arrays to a helper,
#   cost more than the arithmetic of a small operation.
# - The interpreter is compiled without Numba's reference counting (``_nrt=False``, as
#   Numba's own string and sorting code is) and allocates nothing; the kernels are
#   inlined into it, one compiled loop per opcode, through ``overload`` on a literal
#   opcode (passing the scalar function as an argument would make callers uncacheable).
# - Positions are cast to unsigned before indexing: with a signed index Numba adds the
#   negative-index wrap-around to every access, which stops LLVM from vectorising.
# - With one lane, contiguous inputs and scalar (hoisted) inputs have loops of their own,
#   which LLVM vectorises; with several lanes the innermost loop runs over the lanes.

_KERNEL_OPTIONS = {"_nrt": False, "error_model": "numpy"}
_unsigned = np.uint64

# columns of a program row
P_OPCODE, P_OUT, P_SIZE, P_INNER, P_AUX = 0, 1, 2, 3, 4
P_A_CELL, P_A_MODE, P_A_INDEX = 5, 6, 7
P_B_CELL, P_B_MODE, P_B_INDEX = 8, 9, 10
P_C_CELL, P_C_MODE, P_C_INDEX = 11, 12, 13
PROGRAM_COLUMNS = 14


@numba.njit(cache=True, inline="always", **_KERNEL_OPTIONS)
def _cell(index, first, mode, start, k):
    """Memory cell of an input's value for output cell ``k``."""
    if mode == CONTIGUOUS:
        return first + k
    if mode == SCALAR:
        return first
    return first + index[_unsigned(start + k)]


@numba.njit(cache=True, inline="always", **_KERNEL_OPTIONS)
def _step(mode):
    """Distance between the cells an ungathered input reads: 1 contiguous, 0 scalar."""
    return 1 if mode == CONTIGUOUS else 0


@numba.njit(cache=True, inline="always", **_KERNEL_OPTIONS)
def _strides(index, mode, start, block):
    """(outer, inner) strides of an input of a BLOCKED row (never a GATHER input)."""
    if mode == BLOCKED:
        return index[_unsigned(start)], index[_unsigned(start + 1)]
    if mode == CONTIGUOUS:
        return block, 1
    return 0, 0


def _unary(opcode, memory, index, shape, operands):
    """``memory[out + k] = f(A(k))`` for the unary ``opcode`` (a literal; compiled code only).

    ``shape`` is ``(lanes, out, size, block)``, ``operands`` ``(a, a_mode, a_start)``;
    ``block`` (the row's AUX) is read only when an input is BLOCKED.
    """
    raise NotImplementedError("compiled code only")


def _binary(opcode, memory, index, shape, operands):
    """``memory[out + k] = f(A(k), B(k))`` for the binary ``opcode`` (compiled code only).

    ``operands`` is ``(a, a_mode, a_start, b, b_mode, b_start)``.
    """
    raise NotImplementedError("compiled code only")


def _ternary(opcode, memory, index, shape, operands):
    """``memory[out + k] = f(A(k), B(k), C(k))``; ``operands``: the 9 input columns."""
    raise NotImplementedError("compiled code only")


def _reduce(opcode, memory, index, lanes, out, size, inner, a, a_start):
    """``memory[out + k] = f(...f(A(k, 0), A(k, 1))..., A(k, q-1))`` (compiled code only)."""
    raise NotImplementedError("compiled code only")


_OVERLOAD_OPTIONS = {"prefer_literal": True, "jit_options": _KERNEL_OPTIONS, "inline": "always"}


@overload(_unary, **_OVERLOAD_OPTIONS)
def _unary_overload(opcode, memory, index, shape, operands):
    if not isinstance(opcode, types.IntegerLiteral):
        return None
    function = UNARY_FUNCTIONS[opcode.literal_value]

    def implementation(opcode, memory, index, shape, operands):
        lanes, out, size, block = shape
        a, a_mode, a_start = operands
        if a_mode == BLOCKED:
            a_outer, a_inner = _strides(index, a_mode, a_start, block)
            for o in range(size // block):
                position_a = a + o * a_outer
                position = out + o * block
                if lanes == 1:
                    for i in range(block):
                        memory[_unsigned(position + i)] = function(
                            memory[_unsigned(position_a + i * a_inner)]
                        )
                    continue
                for i in range(block):
                    cell_a = (position_a + i * a_inner) * lanes
                    cell = (position + i) * lanes
                    for lane in range(lanes):
                        memory[_unsigned(cell + lane)] = function(memory[_unsigned(cell_a + lane)])
            return
        if lanes == 1:
            if a_mode == CONTIGUOUS:
                for k in range(size):
                    memory[_unsigned(out + k)] = function(memory[_unsigned(a + k)])
                return
            for k in range(size):
                memory[_unsigned(out + k)] = function(
                    memory[_unsigned(_cell(index, a, a_mode, a_start, k))]
                )
            return
        for k in range(size):
            position_a = _cell(index, a, a_mode, a_start, k) * lanes
            position = (out + k) * lanes
            for lane in range(lanes):
                memory[_unsigned(position + lane)] = function(memory[_unsigned(position_a + lane)])

    return implementation


@overload(_binary, **_OVERLOAD_OPTIONS)
def _binary_overload(opcode, memory, index, shape, operands):
    if not isinstance(opcode, types.IntegerLiteral):
        return None
    function = BINARY_FUNCTIONS[opcode.literal_value]

    def implementation(opcode, memory, index, shape, operands):
        lanes, out, size, block = shape
        a, a_mode, a_start, b, b_mode, b_start = operands
        if a_mode == BLOCKED or b_mode == BLOCKED:
            a_outer, a_inner = _strides(index, a_mode, a_start, block)
            b_outer, b_inner = _strides(index, b_mode, b_start, block)
            for o in range(size // block):
                position_a = a + o * a_outer
                position_b = b + o * b_outer
                position = out + o * block
                if lanes == 1:
                    for i in range(block):
                        memory[_unsigned(position + i)] = function(
                            memory[_unsigned(position_a + i * a_inner)],
                            memory[_unsigned(position_b + i * b_inner)],
                        )
                    continue
                for i in range(block):
                    cell_a = (position_a + i * a_inner) * lanes
                    cell_b = (position_b + i * b_inner) * lanes
                    cell = (position + i) * lanes
                    for lane in range(lanes):
                        memory[_unsigned(cell + lane)] = function(
                            memory[_unsigned(cell_a + lane)], memory[_unsigned(cell_b + lane)]
                        )
            return
        if lanes == 1:
            if a_mode == CONTIGUOUS and b_mode == CONTIGUOUS:
                for k in range(size):
                    memory[_unsigned(out + k)] = function(
                        memory[_unsigned(a + k)], memory[_unsigned(b + k)]
                    )
            elif a_mode == SCALAR and b_mode == CONTIGUOUS:
                x = memory[_unsigned(a)]
                for k in range(size):
                    memory[_unsigned(out + k)] = function(x, memory[_unsigned(b + k)])
            elif a_mode == CONTIGUOUS and b_mode == SCALAR:
                y = memory[_unsigned(b)]
                for k in range(size):
                    memory[_unsigned(out + k)] = function(memory[_unsigned(a + k)], y)
            elif a_mode == SCALAR and b_mode == SCALAR:
                value = function(memory[_unsigned(a)], memory[_unsigned(b)])
                for k in range(size):
                    memory[_unsigned(out + k)] = value
            else:
                for k in range(size):
                    memory[_unsigned(out + k)] = function(
                        memory[_unsigned(_cell(index, a, a_mode, a_start, k))],
                        memory[_unsigned(_cell(index, b, b_mode, b_start, k))],
                    )
            return
        for k in range(size):
            position_a = _cell(index, a, a_mode, a_start, k) * lanes
            position_b = _cell(index, b, b_mode, b_start, k) * lanes
            position = (out + k) * lanes
            for lane in range(lanes):
                memory[_unsigned(position + lane)] = function(
                    memory[_unsigned(position_a + lane)], memory[_unsigned(position_b + lane)]
                )

    return implementation


@overload(_ternary, **_OVERLOAD_OPTIONS)
def _ternary_overload(opcode, memory, index, shape, operands):
    if not isinstance(opcode, types.IntegerLiteral):
        return None
    function = TERNARY_FUNCTIONS[opcode.literal_value]

    def implementation(opcode, memory, index, shape, operands):
        lanes, out, size, block = shape
        a, a_mode, a_start, b, b_mode, b_start, c, c_mode, c_start = operands
        if a_mode == BLOCKED or b_mode == BLOCKED or c_mode == BLOCKED:
            a_outer, a_inner = _strides(index, a_mode, a_start, block)
            b_outer, b_inner = _strides(index, b_mode, b_start, block)
            c_outer, c_inner = _strides(index, c_mode, c_start, block)
            for o in range(size // block):
                position_a = a + o * a_outer
                position_b = b + o * b_outer
                position_c = c + o * c_outer
                position = out + o * block
                if lanes == 1:
                    for i in range(block):
                        memory[_unsigned(position + i)] = function(
                            memory[_unsigned(position_a + i * a_inner)],
                            memory[_unsigned(position_b + i * b_inner)],
                            memory[_unsigned(position_c + i * c_inner)],
                        )
                    continue
                for i in range(block):
                    cell_a = (position_a + i * a_inner) * lanes
                    cell_b = (position_b + i * b_inner) * lanes
                    cell_c = (position_c + i * c_inner) * lanes
                    cell = (position + i) * lanes
                    for lane in range(lanes):
                        memory[_unsigned(cell + lane)] = function(
                            memory[_unsigned(cell_a + lane)],
                            memory[_unsigned(cell_b + lane)],
                            memory[_unsigned(cell_c + lane)],
                        )
            return
        if lanes == 1:
            if a_mode == CONTIGUOUS and b_mode == CONTIGUOUS and c_mode == CONTIGUOUS:
                for k in range(size):
                    memory[_unsigned(out + k)] = function(
                        memory[_unsigned(a + k)], memory[_unsigned(b + k)], memory[_unsigned(c + k)]
                    )
                return
            if a_mode != GATHER and b_mode != GATHER and c_mode != GATHER:
                a_step, b_step, c_step = _step(a_mode), _step(b_mode), _step(c_mode)
                for k in range(size):
                    memory[_unsigned(out + k)] = function(
                        memory[_unsigned(a + k * a_step)],
                        memory[_unsigned(b + k * b_step)],
                        memory[_unsigned(c + k * c_step)],
                    )
                return
            for k in range(size):
                memory[_unsigned(out + k)] = function(
                    memory[_unsigned(_cell(index, a, a_mode, a_start, k))],
                    memory[_unsigned(_cell(index, b, b_mode, b_start, k))],
                    memory[_unsigned(_cell(index, c, c_mode, c_start, k))],
                )
            return
        for k in range(size):
            position_a = _cell(index, a, a_mode, a_start, k) * lanes
            position_b = _cell(index, b, b_mode, b_start, k) * lanes
            position_c = _cell(index, c, c_mode, c_start, k) * lanes
            position = (out + k) * lanes
            for lane in range(lanes):
                memory[_unsigned(position + lane)] = function(
                    memory[_unsigned(position_a + lane)],
                    memory[_unsigned(position_b + lane)],
                    memory[_unsigned(position_c + lane)],
                )

    return implementation


@overload(_reduce, **_OVERLOAD_OPTIONS)
def _reduce_overload(opcode, memory, index, lanes, out, size, inner, a, a_start):
    if not isinstance(opcode, types.IntegerLiteral):
        return None
    function = REDUCTION_FUNCTIONS[opcode.literal_value]

    def implementation(opcode, memory, index, lanes, out, size, inner, a, a_start):
        if lanes == 1:  # the accumulator in a register, not in memory
            for k in range(size):
                first = a_start + k * inner
                accumulator = memory[_unsigned(a + index[_unsigned(first)])]
                for j in range(first + 1, first + inner):
                    accumulator = function(accumulator, memory[_unsigned(a + index[_unsigned(j)])])
                memory[_unsigned(out + k)] = accumulator
            return
        for k in range(size):
            first = a_start + k * inner
            position = (out + k) * lanes
            position_a = (a + index[_unsigned(first)]) * lanes
            for lane in range(lanes):
                memory[_unsigned(position + lane)] = memory[_unsigned(position_a + lane)]
            for j in range(first + 1, first + inner):
                position_a = (a + index[_unsigned(j)]) * lanes
                for lane in range(lanes):
                    memory[_unsigned(position + lane)] = function(
                        memory[_unsigned(position + lane)], memory[_unsigned(position_a + lane)]
                    )

    return implementation


@numba.njit(cache=True, inline="always", **_KERNEL_OPTIONS)
def _sumprod(memory, index, lanes, out, size, inner, a, a_start, b, b_start):
    """``memory[out + k] = sum_j A(k, j) * B(k, j)``, left to right, A and B gathered."""
    if lanes == 1:
        for k in range(size):
            first = k * inner
            total = (
                memory[_unsigned(a + index[_unsigned(a_start + first)])]
                * memory[_unsigned(b + index[_unsigned(b_start + first)])]
            )
            for j in range(first + 1, first + inner):
                total += (
                    memory[_unsigned(a + index[_unsigned(a_start + j)])]
                    * memory[_unsigned(b + index[_unsigned(b_start + j)])]
                )
            memory[_unsigned(out + k)] = total
        return
    for k in range(size):
        first = k * inner
        position = (out + k) * lanes
        position_a = (a + index[_unsigned(a_start + first)]) * lanes
        position_b = (b + index[_unsigned(b_start + first)]) * lanes
        for lane in range(lanes):
            memory[_unsigned(position + lane)] = (
                memory[_unsigned(position_a + lane)] * memory[_unsigned(position_b + lane)]
            )
        for j in range(first + 1, first + inner):
            position_a = (a + index[_unsigned(a_start + j)]) * lanes
            position_b = (b + index[_unsigned(b_start + j)]) * lanes
            for lane in range(lanes):
                memory[_unsigned(position + lane)] += (
                    memory[_unsigned(position_a + lane)] * memory[_unsigned(position_b + lane)]
                )


@numba.njit(cache=True, inline="always", **_KERNEL_OPTIONS)
def _interpolate(x, shared, grid, count, values):
    """Clamped linear interpolation of ``x`` on ``shared[grid : grid + count]``.

    The grid is increasing; the y values are ``shared[values : values + count]``.
    """
    if x != x:
        return x
    if count == 1 or x <= shared[_unsigned(grid)]:
        return shared[_unsigned(values)]
    last = count - 1
    if x >= shared[_unsigned(grid + last)]:
        return shared[_unsigned(values + last)]
    # binary search for the largest i with grid[i] <= x (grid[0] <= x < grid[last] here):
    # grid[low] <= x < grid[low + width] throughout
    low = 0
    width = last
    while width > 1:
        half = width >> 1
        if shared[_unsigned(grid + low + half)] <= x:
            low += half
        width -= half
    x_low = shared[_unsigned(grid + low)]
    weight = (x - x_low) / (shared[_unsigned(grid + low + 1)] - x_low)
    y_low = shared[_unsigned(values + low)]
    return y_low + weight * (shared[_unsigned(values + low + 1)] - y_low)


@numba.njit(cache=True, inline="always", **_KERNEL_OPTIONS)
def _interp(memory, index, lanes, out, size, a, a_mode, a_start, shared, grid, count, values,
            b_mode, b_start):  # fmt: skip
    """INTERP of A on the grid ``shared[grid:grid+count]`` (see the module docstring)."""
    for k in range(size):
        row_values = values
        if b_mode == GATHER:
            row_values = values + index[_unsigned(b_start + k)]
        position_a = _cell(index, a, a_mode, a_start, k) * lanes
        position = (out + k) * lanes
        for lane in range(lanes):
            memory[_unsigned(position + lane)] = _interpolate(
                memory[_unsigned(position_a + lane)], shared, grid, count, row_values
            )


# ---- the interpreter -------------------------------------------------------------------


@numba.njit(cache=True, nogil=True, **_KERNEL_OPTIONS)
def _execute(program, index, shared, memory, lanes):
    """Run every row of a program once, in order, on the flat ``memory`` of ``lanes`` lanes.

    Parameters
    ----------
    program : ndarray of int64, shape (n_ops, PROGRAM_COLUMNS), C order
        The tape translated by :func:`_translate`.
    index : ndarray of int64, shape (I,)
        Gather and position indices.
    shared : ndarray of float64, shape (S,)
        INTERP's grids and tables (read only).
    memory : ndarray of float64, shape (M * lanes,), C order
        Cell ``c`` of lane ``l`` at ``c * lanes + l``; updated in place.
    lanes : int
        Members of the block.
    """
    for row in range(program.shape[0]):
        opcode = program[row, P_OPCODE]
        out = program[row, P_OUT]
        size = program[row, P_SIZE]
        a = program[row, P_A_CELL]
        a_mode = program[row, P_A_MODE]
        a_start = program[row, P_A_INDEX]
        shape = (lanes, out, size, program[row, P_AUX])
        if opcode <= RECIPROCAL:
            operands_a = (a, a_mode, a_start)
            if opcode == COPY:
                _unary(COPY, memory, index, shape, operands_a)
            elif opcode == NEGATIVE:
                _unary(NEGATIVE, memory, index, shape, operands_a)
            elif opcode == ABSOLUTE:
                _unary(ABSOLUTE, memory, index, shape, operands_a)
            elif opcode == EXP:
                _unary(EXP, memory, index, shape, operands_a)
            elif opcode == LOG:
                _unary(LOG, memory, index, shape, operands_a)
            elif opcode == LOG10:
                _unary(LOG10, memory, index, shape, operands_a)
            elif opcode == SQRT:
                _unary(SQRT, memory, index, shape, operands_a)
            elif opcode == SIN:
                _unary(SIN, memory, index, shape, operands_a)
            elif opcode == COS:
                _unary(COS, memory, index, shape, operands_a)
            elif opcode == TAN:
                _unary(TAN, memory, index, shape, operands_a)
            elif opcode == ARCSIN:
                _unary(ARCSIN, memory, index, shape, operands_a)
            elif opcode == ARCCOS:
                _unary(ARCCOS, memory, index, shape, operands_a)
            elif opcode == ARCTAN:
                _unary(ARCTAN, memory, index, shape, operands_a)
            elif opcode == SINH:
                _unary(SINH, memory, index, shape, operands_a)
            elif opcode == COSH:
                _unary(COSH, memory, index, shape, operands_a)
            elif opcode == TANH:
                _unary(TANH, memory, index, shape, operands_a)
            elif opcode == TRUNC:
                _unary(TRUNC, memory, index, shape, operands_a)
            elif opcode == FLOOR:
                _unary(FLOOR, memory, index, shape, operands_a)
            elif opcode == CEIL:
                _unary(CEIL, memory, index, shape, operands_a)
            elif opcode == SIGN:
                _unary(SIGN, memory, index, shape, operands_a)
            elif opcode == LOGICAL_NOT:
                _unary(LOGICAL_NOT, memory, index, shape, operands_a)
            elif opcode == ISFINITE:
                _unary(ISFINITE, memory, index, shape, operands_a)
            elif opcode == ISNAN:
                _unary(ISNAN, memory, index, shape, operands_a)
            elif opcode == NONZERO:
                _unary(NONZERO, memory, index, shape, operands_a)
            elif opcode == SQUARE:
                _unary(SQUARE, memory, index, shape, operands_a)
            elif opcode == RECIPROCAL:
                _unary(RECIPROCAL, memory, index, shape, operands_a)
            else:
                raise ValueError("unknown opcode")
            continue
        b = program[row, P_B_CELL]
        b_mode = program[row, P_B_MODE]
        b_start = program[row, P_B_INDEX]
        if opcode <= HYPOT:
            operands_ab = (a, a_mode, a_start, b, b_mode, b_start)
            if opcode == ADD:
                _binary(ADD, memory, index, shape, operands_ab)
            elif opcode == SUBTRACT:
                _binary(SUBTRACT, memory, index, shape, operands_ab)
            elif opcode == MULTIPLY:
                _binary(MULTIPLY, memory, index, shape, operands_ab)
            elif opcode == DIVIDE:
                _binary(DIVIDE, memory, index, shape, operands_ab)
            elif opcode == POWER:
                _binary(POWER, memory, index, shape, operands_ab)
            elif opcode == MINIMUM:
                _binary(MINIMUM, memory, index, shape, operands_ab)
            elif opcode == MAXIMUM:
                _binary(MAXIMUM, memory, index, shape, operands_ab)
            elif opcode == FMIN:
                _binary(FMIN, memory, index, shape, operands_ab)
            elif opcode == FMAX:
                _binary(FMAX, memory, index, shape, operands_ab)
            elif opcode == EQUAL:
                _binary(EQUAL, memory, index, shape, operands_ab)
            elif opcode == NOT_EQUAL:
                _binary(NOT_EQUAL, memory, index, shape, operands_ab)
            elif opcode == LESS:
                _binary(LESS, memory, index, shape, operands_ab)
            elif opcode == LESS_EQUAL:
                _binary(LESS_EQUAL, memory, index, shape, operands_ab)
            elif opcode == GREATER:
                _binary(GREATER, memory, index, shape, operands_ab)
            elif opcode == GREATER_EQUAL:
                _binary(GREATER_EQUAL, memory, index, shape, operands_ab)
            elif opcode == LOGICAL_AND:
                _binary(LOGICAL_AND, memory, index, shape, operands_ab)
            elif opcode == LOGICAL_OR:
                _binary(LOGICAL_OR, memory, index, shape, operands_ab)
            elif opcode == LOGICAL_XOR:
                _binary(LOGICAL_XOR, memory, index, shape, operands_ab)
            elif opcode == MOD:
                _binary(MOD, memory, index, shape, operands_ab)
            elif opcode == FMOD:
                _binary(FMOD, memory, index, shape, operands_ab)
            elif opcode == FLOOR_DIVIDE:
                _binary(FLOOR_DIVIDE, memory, index, shape, operands_ab)
            elif opcode == ARCTAN2:
                _binary(ARCTAN2, memory, index, shape, operands_ab)
            elif opcode == HYPOT:
                _binary(HYPOT, memory, index, shape, operands_ab)
            else:
                raise ValueError("unknown opcode")
            continue
        if opcode == WHERE or opcode == SAFE_DIVIDE:
            operands_abc = (
                a, a_mode, a_start, b, b_mode, b_start,
                program[row, P_C_CELL], program[row, P_C_MODE], program[row, P_C_INDEX],
            )  # fmt: skip
            if opcode == WHERE:
                _ternary(WHERE, memory, index, shape, operands_abc)
            else:
                _ternary(SAFE_DIVIDE, memory, index, shape, operands_abc)
            continue
        inner = program[row, P_INNER]
        if opcode == REDUCE_SUM:
            _reduce(REDUCE_SUM, memory, index, lanes, out, size, inner, a, a_start)
        elif opcode == REDUCE_PROD:
            _reduce(REDUCE_PROD, memory, index, lanes, out, size, inner, a, a_start)
        elif opcode == REDUCE_MIN:
            _reduce(REDUCE_MIN, memory, index, lanes, out, size, inner, a, a_start)
        elif opcode == REDUCE_MAX:
            _reduce(REDUCE_MAX, memory, index, lanes, out, size, inner, a, a_start)
        elif opcode == SUMPROD:
            _sumprod(memory, index, lanes, out, size, inner, a, a_start, b, b_start)
        elif opcode == INTERP:
            _interp(memory, index, lanes, out, size, a, a_mode, a_start, shared,
                    program[row, P_AUX], inner, b, b_mode, b_start)  # fmt: skip
        elif opcode == SCATTER:
            positions = program[row, P_AUX]
            for j in range(size):
                position_a = _cell(index, a, a_mode, a_start, j) * lanes
                position = (out + index[_unsigned(positions + j)]) * lanes
                for lane in range(lanes):
                    memory[_unsigned(position + lane)] = memory[_unsigned(position_a + lane)]
        else:
            raise ValueError("unknown opcode")


# ---- programs and memory ---------------------------------------------------------------


@numba.njit(cache=True)
def _translate(ops, work_rows, shared_size):
    """The program of a tape: every input's first cell in the memory layout.

    Work rows keep their numbers; shared value ``s`` is memory cell ``work_rows + s``,
    member constant ``p`` cell ``work_rows + shared_size + p``. INTERP's B (its table
    in ``shared``) is kept as it is.
    """
    program = np.empty((ops.shape[0], PROGRAM_COLUMNS), dtype=np.int64)
    for row in range(ops.shape[0]):
        program[row, P_OPCODE] = ops[row, OPCODE]
        program[row, P_OUT] = ops[row, OUT]
        program[row, P_SIZE] = ops[row, SIZE]
        program[row, P_INNER] = ops[row, INNER]
        program[row, P_AUX] = ops[row, AUX]
        for number in range(3):
            space = ops[row, A_SPACE + 4 * number]
            offset = ops[row, A_OFFSET + 4 * number]
            if space == SHARED and not (number == 1 and ops[row, OPCODE] == INTERP):
                offset += work_rows
            elif space == MEMBER:
                offset += work_rows + shared_size
            program[row, P_A_CELL + 3 * number] = offset
            program[row, P_A_MODE + 3 * number] = ops[row, A_MODE + 4 * number]
            program[row, P_A_INDEX + 3 * number] = ops[row, A_INDEX + 4 * number]
    return program


@numba.njit(cache=True)
def _load_constants(memory, work_rows, shared, members, first_member):
    """Copy the shared values (to every lane) and the block's member constants into memory."""
    lanes = memory.shape[1]
    for s in range(shared.shape[0]):
        for lane in range(lanes):
            memory[work_rows + s, lane] = shared[s]
    base = work_rows + shared.shape[0]
    for p in range(members.shape[0]):
        for lane in range(lanes):
            memory[base + p, lane] = members[p, first_member + lane]


@numba.njit(cache=True, nogil=True)
def evaluate(ops, index, shared, members, work, first_member):
    """Run every operation of a tape once, in row order, for the lanes of ``work``.

    Parameters
    ----------
    ops : ndarray of int64, shape (n_ops, NCOLUMNS), C order
        The tape, one operation a row (see the module docstring).
    index : ndarray of int64, shape (I,)
        Gather and position indices of every operation, concatenated.
    shared : ndarray of float64, shape (S,), C order
        Values equal for every member.
    members : ndarray of float64, shape (P, E), C order
        Per-member constants, cell-major; P may be 0.
    work : ndarray of float64, shape (W, L), C order
        Workspace of the block, updated in place; L, the number of lanes, is
        ``work.shape[1]``.
    first_member : int
        Member of lane 0: lane ``l`` reads ``members[:, first_member + l]``.

    Notes
    -----
    Translates the tape to a program (:func:`_translate`), copies ``work`` and the
    constants into one memory array, runs the program and copies the work rows back:
    the same interpreter :func:`integrate` runs once per evaluation, without the
    copies. Offsets are not checked (see :func:`check_tape`). Pass C-contiguous,
    writeable arrays of these dtypes: any other array type (read-only, strided,
    int32...) compiles, and caches, a version of its own, at the cost of a first
    compilation.
    """
    work_rows, lanes = work.shape
    program = _translate(ops, work_rows, shared.shape[0])
    memory = np.empty((work_rows + shared.shape[0] + members.shape[0], lanes))
    memory[:work_rows] = work
    _load_constants(memory, work_rows, shared, members, first_member)
    _execute(program, index, shared, memory.reshape(-1), lanes)
    work[:] = memory[:work_rows]


# ---- integration -----------------------------------------------------------------------
# Arguments travel in tuples: ``tape = (program, index, shared, members)`` (the program
# from :func:`_translate`; ``shared`` and ``members`` are copied into each block's memory),
# ``rows = (state_offset, n_state, derivative_offset, time_offset, held_offset)``,
# ``schedule = (times, save_rows, dt, method)``,
# ``outputs = (record_rows, out, final_states, failed_at)``.
# The helpers are inlined (``inline="always"``): each compiled function that calls
# ``_execute`` re-optimises and re-assembles all of its machine code, so a chain
# integrate -> block -> derivatives -> _execute would cost three times that.


@numba.njit(cache=True, error_model="numpy", inline="always")
def _derivatives(tape, rows, work, time, held_time, states):
    """One evaluation: write the time, held time and states into ``work``, run the tape.

    The derivatives are then in ``work[derivative_offset + i]``.
    """
    program, index, shared, _ = tape
    state_offset, n_state, _, time_offset, held_offset = rows
    lanes = work.shape[1]
    for lane in range(lanes):
        work[time_offset, lane] = time
        work[held_offset, lane] = held_time
    for i in range(n_state):
        for lane in range(lanes):
            work[state_offset + i, lane] = states[i, lane]
    _execute(program, index, shared, work.reshape(-1), lanes)


@numba.njit(cache=True, error_model="numpy", inline="always")
def _record(rows, outputs, work, first_member, save_row, time):
    """Copy the recorded rows of every lane into ``out[member, save_row]``; flag failures."""
    state_offset, n_state, _, _, _ = rows
    record_rows, out, _, failed_at = outputs
    lanes = work.shape[1]
    for lane in range(lanes):
        member = first_member + lane
        for r in range(record_rows.shape[0]):
            out[member, save_row, r] = work[record_rows[r], lane]
        if failed_at[member] != failed_at[member]:  # still NaN: not failed yet
            for i in range(n_state):
                if not np.isfinite(work[state_offset + i, lane]):
                    failed_at[member] = time
                    break


@numba.njit(cache=True, error_model="numpy", inline="always")
def _integrate_block(
    tape, rows, schedule, outputs, work_template, initial_states, first_member, lanes
):
    """Integrate members ``first_member .. first_member + lanes - 1`` (see :func:`integrate`)."""
    _, n_state, derivative_offset, _, _ = rows
    times, save_rows, dt, method = schedule
    final_states = outputs[2]
    _, _, shared, members = tape
    width = work_template.shape[0]
    # the block's memory: work rows, then the constants (see _translate)
    work = np.empty((width + shared.shape[0] + members.shape[0], lanes))
    for w in range(width):
        for lane in range(lanes):
            work[w, lane] = work_template[w]
    _load_constants(work, width, shared, members, first_member)
    y = np.empty((n_state, lanes))
    for i in range(n_state):
        for lane in range(lanes):
            y[i, lane] = initial_states[i, first_member + lane]
    steps = times.shape[0] - 1
    k1 = np.empty((n_state, lanes))
    k2 = np.empty((n_state, lanes))
    k3 = np.empty((n_state, lanes))
    stage = np.empty((n_state, lanes))
    half = dt / 2
    sixth = dt / 6
    for step in range(steps):
        t = times[step]
        _derivatives(tape, rows, work, t, t, y)
        if save_rows[step] >= 0:
            _record(rows, outputs, work, first_member, save_rows[step], t)
        if method == EULER:
            for i in range(n_state):
                for lane in range(lanes):
                    y[i, lane] = y[i, lane] + work[derivative_offset + i, lane] * dt
            continue
        for i in range(n_state):
            for lane in range(lanes):
                k1[i, lane] = work[derivative_offset + i, lane]
                stage[i, lane] = y[i, lane] + k1[i, lane] * half
        _derivatives(tape, rows, work, t + half, t, stage)
        for i in range(n_state):
            for lane in range(lanes):
                k2[i, lane] = work[derivative_offset + i, lane]
                stage[i, lane] = y[i, lane] + k2[i, lane] * half
        _derivatives(tape, rows, work, t + half, t, stage)
        for i in range(n_state):
            for lane in range(lanes):
                k3[i, lane] = work[derivative_offset + i, lane]
                stage[i, lane] = y[i, lane] + k3[i, lane] * dt
        _derivatives(tape, rows, work, t + dt, t, stage)
        for i in range(n_state):
            for lane in range(lanes):
                k4 = work[derivative_offset + i, lane]
                y[i, lane] = (
                    y[i, lane] + (k1[i, lane] + 2 * k2[i, lane] + 2 * k3[i, lane] + k4) * sixth
                )
    t = times[steps]
    _derivatives(tape, rows, work, t, t, y)
    if save_rows[steps] >= 0:
        _record(rows, outputs, work, first_member, save_rows[steps], t)
    for i in range(n_state):
        for lane in range(lanes):
            final_states[i, first_member + lane] = y[i, lane]


@numba.njit(cache=True, nogil=True, error_model="numpy")
def integrate(
    ops,
    index,
    shared,
    members,
    work_template,
    state_offset,
    n_state,
    derivative_offset,
    time_offset,
    held_offset,
    initial_states,
    times,
    save_rows,
    dt,
    method,
    record_rows,
    lanes,
    out,
    final_states,
    failed_at,
):
    """Integrate every member over ``times`` with fixed-step Euler or RK4, block by block.

    Parameters
    ----------
    ops, index, shared, members
        The tape and its data, as for :func:`evaluate`; ``members`` has shape (P, E).
    work_template : ndarray of float64, shape (W,)
        Initial content of every lane's work rows (copied into each new block).
    state_offset, n_state : int
        Work rows ``state_offset + i``, i < n_state, hold the states.
    derivative_offset : int
        Work row ``derivative_offset + i`` holds the derivative of state ``i`` (state
        units per time unit) after an evaluation.
    time_offset, held_offset : int
        Work rows of the time and of the held time (the start of the current step, which
        STEP/PULSE-like functions see in every RK4 stage).
    initial_states : ndarray of float64, shape (n_state, E)
        States at ``times[0]``; E, the number of members, is ``initial_states.shape[1]``.
    times : ndarray of float64, shape (N + 1,)
        ``times[i]``: time at the start of step ``i``; ``times[N]``: after the last step.
        N may be 0.
    save_rows : ndarray of int64, shape (N + 1,)
        Row of ``out`` recorded at ``times[i]``, or -1 (not saved).
    dt : float
        Step length (time units).
    method : int
        ``EULER`` (0) or ``RK4`` (1).
    record_rows : ndarray of int64, shape (R,)
        Work rows recorded at each save time.
    lanes : int
        Members integrated together (the last block may have fewer); >= 1.
    out : ndarray of float64, shape (E, n_rows, R)
        Filled: ``out[m, save_rows[i], r]`` is work row ``record_rows[r]`` of member ``m``
        in the evaluation at ``times[i]`` (from the states at ``times[i]``).
    final_states : ndarray of float64, shape (n_state, E)
        Filled with the states after the last step.
    failed_at : ndarray of float64, shape (E,)
        NaN on entry. At each saved time, a member whose state rows hold a non-finite
        value and whose entry is still NaN gets that time.

    Notes
    -----
    Euler: ``y + f(t, t, y) * dt``. RK4: ``k1 = f(t, t, y)``,
    ``k2 = f(t + dt/2, t, y + k1 * (dt/2))``, ``k3 = f(t + dt/2, t, y + k2 * (dt/2))``,
    ``k4 = f(t + dt, t, y + k3 * dt)``, ``y + (k1 + 2*k2 + 2*k3 + k4) * (dt/6)``, in this
    order, element-wise, as the numpy expression evaluates. ``f(t, h, y)`` writes ``t``,
    ``h`` and ``y`` into the work rows and runs the tape. The record at ``times[i]`` is
    taken after the (first) evaluation at ``times[i]``; one more evaluation at
    ``times[N]`` records the end. Members are independent: results do not depend on
    ``lanes``. The GIL is released, so Python threads may run integrations into separate
    outputs at the same time.
    """
    if method != EULER and method != RK4:
        raise ValueError("method must be EULER (0) or RK4 (1)")
    if lanes < 1:
        raise ValueError("lanes must be at least 1")
    member_count = initial_states.shape[1]
    tape = (_translate(ops, work_template.shape[0], shared.shape[0]), index, shared, members)
    rows = (state_offset, n_state, derivative_offset, time_offset, held_offset)
    schedule = (times, save_rows, dt, method)
    outputs = (record_rows, out, final_states, failed_at)
    for first_member in range(0, member_count, lanes):
        count = min(lanes, member_count - first_member)
        _integrate_block(
            tape, rows, schedule, outputs, work_template, initial_states, first_member, count
        )


@numba.njit(cache=True, nogil=True, parallel=True, error_model="numpy")
def integrate_parallel(
    ops,
    index,
    shared,
    members,
    work_template,
    state_offset,
    n_state,
    derivative_offset,
    time_offset,
    held_offset,
    initial_states,
    times,
    save_rows,
    dt,
    method,
    record_rows,
    lanes,
    out,
    final_states,
    failed_at,
):
    """:func:`integrate`, with the blocks of ``lanes`` members spread over Numba's threads.

    Same parameters and results, bit for bit (each block has its own work array and
    writes only its own members). The number of threads is Numba's
    (``numba.set_num_threads``, ``NUMBA_NUM_THREADS``). Its first compilation takes about
    40 s more than :func:`integrate`'s. With Numba's default ``workqueue`` threading layer
    (no TBB or OpenMP installed), do not call it from several threads at once: that layer
    aborts the process on concurrent parallel launches.
    """
    if method != EULER and method != RK4:
        raise ValueError("method must be EULER (0) or RK4 (1)")
    if lanes < 1:
        raise ValueError("lanes must be at least 1")
    member_count = initial_states.shape[1]
    tape = (_translate(ops, work_template.shape[0], shared.shape[0]), index, shared, members)
    rows = (state_offset, n_state, derivative_offset, time_offset, held_offset)
    schedule = (times, save_rows, dt, method)
    outputs = (record_rows, out, final_states, failed_at)
    blocks = (member_count + lanes - 1) // lanes
    for block in numba.prange(blocks):
        first_member = block * lanes
        count = min(lanes, member_count - first_member)
        _integrate_block(
            tape, rows, schedule, outputs, work_template, initial_states, first_member, count
        )


# ---- validation ------------------------------------------------------------------------


@numba.njit(cache=True)
def _check_input(ops, row, first_column, index, count, space_sizes, out_start, out_stop,
                 block):  # fmt: skip
    """Column of the first problem of the input whose SPACE column is ``first_column``.

    ``count`` cells are read (contiguous: cells 0..count-1; gathered: ``count`` index
    entries; blocked: in blocks of ``block``, 0 where BLOCKED is not allowed); -1 if the
    input is valid and reads no work row in ``[out_start, out_stop)``.
    """
    space = ops[row, first_column]
    offset = ops[row, first_column + 1]
    mode = ops[row, first_column + 2]
    start = ops[row, first_column + 3]
    if space < WORK or space > MEMBER:
        return first_column
    if mode < CONTIGUOUS or mode > BLOCKED:
        return first_column + 2
    if mode == BLOCKED and (block < 1 or count % block != 0):
        return first_column + 2
    size = space_sizes[space]
    if count == 0:
        return -1
    if mode == BLOCKED:
        if start < 0 or start + 2 > index.shape[0]:
            return first_column + 3
        outer_stride, inner_stride = index[start], index[start + 1]
        if outer_stride < 0 or inner_stride < 0:
            return first_column + 3
        first_cell = offset
        last_cell = offset + (count // block - 1) * outer_stride + (block - 1) * inner_stride
        if first_cell < 0 or last_cell >= size:
            return first_column + 1
        if space == WORK and first_cell < out_stop and out_start <= last_cell:
            for o in range(count // block):  # the cells read may straddle the output
                for i in range(block):
                    if out_start <= offset + o * outer_stride + i * inner_stride < out_stop:
                        return first_column + 1
        return -1
    if mode == GATHER:
        if start < 0 or start + count > index.shape[0]:
            return first_column + 3
        low = index[start]
        high = index[start]
        for j in range(start, start + count):
            low = min(low, index[j])
            high = max(high, index[j])
        if low < 0:
            return first_column + 3
        first_cell = offset + low
        last_cell = offset + high
    elif mode == SCALAR:
        first_cell = offset
        last_cell = offset
    else:
        first_cell = offset
        last_cell = offset + count - 1
    if first_cell < 0 or last_cell >= size:
        return first_column + 1
    if space == WORK and first_cell < out_stop and out_start <= last_cell:
        if mode != GATHER:
            return first_column + 1
        for j in range(start, start + count):  # gathered cells may straddle the output
            if out_start <= offset + index[j] < out_stop:
                return first_column + 1
    return -1


@numba.njit(cache=True)
def check_tape(ops, index, shared_size, member_rows, work_rows):
    """Find the first malformed operation of a tape, before running it.

    Parameters
    ----------
    ops, index
        The tape, as for :func:`evaluate`.
    shared_size, member_rows, work_rows : int
        ``shared.shape[0]``, ``members.shape[0]`` (P) and ``work.shape[0]`` (W).

    Returns
    -------
    (row, column) : tuple of int
        Row of ``ops`` and column (``OPCODE`` .. ``C_INDEX``) of the first problem found,
        or ``(-1, -1)``. Checked: known opcode; SIZE >= 0; INNER >= 1 where used; every
        read and write inside its array and every index inside ``index``; gathered inputs
        of reductions and SUMPROD; BLOCKED inputs only in element-wise rows with no
        gathered input, AUX >= 1 dividing SIZE and non-negative strides; INTERP's grid
        and y rows inside ``shared``; no input reads a work row the operation writes
        (SCATTER aside).
    """
    if ops.shape[1] != NCOLUMNS:
        raise ValueError("ops must have NCOLUMNS columns")
    space_sizes = np.array([work_rows, shared_size, member_rows], dtype=np.int64)
    for row in range(ops.shape[0]):
        opcode = ops[row, OPCODE]
        out = ops[row, OUT]
        size = ops[row, SIZE]
        inner = ops[row, INNER]
        if size < 0:
            return row, SIZE
        if opcode == SCATTER:
            positions = ops[row, AUX]
            if positions < 0 or positions + size > index.shape[0]:
                return row, AUX
            for j in range(positions, positions + size):
                if index[j] < 0 or out + index[j] >= work_rows or out + index[j] < 0:
                    return row, AUX
            column = _check_input(ops, row, A_SPACE, index, size, space_sizes, 0, 0, 0)
            if column >= 0:
                return row, column
            continue
        if out < 0 or out + size > work_rows:
            return row, OUT
        out_stop = out + size
        if opcode <= RECIPROCAL:
            inputs = 1
        elif ADD <= opcode <= HYPOT:
            inputs = 2
        elif opcode == WHERE or opcode == SAFE_DIVIDE:
            inputs = 3
        elif REDUCE_SUM <= opcode <= SUMPROD:
            if inner < 1:
                return row, INNER
            if ops[row, A_MODE] != GATHER:
                return row, A_MODE
            column = _check_input(
                ops, row, A_SPACE, index, size * inner, space_sizes, out, out_stop, 0
            )
            if column >= 0:
                return row, column
            if opcode == SUMPROD:
                if ops[row, B_MODE] != GATHER:
                    return row, B_MODE
                column = _check_input(
                    ops, row, B_SPACE, index, size * inner, space_sizes, out, out_stop, 0
                )
                if column >= 0:
                    return row, column
            continue
        elif opcode == INTERP:
            if inner < 1:
                return row, INNER
            grid = ops[row, AUX]
            if grid < 0 or grid + inner > shared_size:
                return row, AUX
            if ops[row, B_SPACE] != SHARED:
                return row, B_SPACE
            values = ops[row, B_OFFSET]
            b_mode = ops[row, B_MODE]
            if b_mode == SCALAR:
                if values < 0 or values + inner > shared_size:
                    return row, B_OFFSET
            elif b_mode == GATHER:
                start = ops[row, B_INDEX]
                if size > 0 and (start < 0 or start + size > index.shape[0]):
                    return row, B_INDEX
                for j in range(start, start + size):
                    if values + index[j] < 0 or values + index[j] + inner > shared_size:
                        return row, B_INDEX
            else:
                return row, B_MODE
            inputs = 1
            block = 0  # AUX is INTERP's grid: no BLOCKED input
        else:
            return row, OPCODE
        if opcode != INTERP:
            block = ops[row, AUX]
            blocked = gathered = False
            for number in range(inputs):
                blocked = blocked or ops[row, A_MODE + 4 * number] == BLOCKED
                gathered = gathered or ops[row, A_MODE + 4 * number] == GATHER
            if blocked and gathered:  # a BLOCKED row reads no gathered input
                return row, AUX
        for number in range(inputs):  # A, B, C: four columns each
            first_column = A_SPACE + 4 * number
            column = _check_input(
                ops, row, first_column, index, size, space_sizes, out, out_stop, block
            )
            if column >= 0:
                return row, column
    return -1, -1
