"""Compile PySD abstract-syntax trees into :class:`~renaissance.engine.nodes.Node` closures.

The compiler walks the validated AST produced by PySD's translator; it never evaluates
text. Every name is resolved at compile time to an environment key, an index operation
on a subscript axis, or a constant.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field

import numpy as np
from pysd.translators.structures import abstract_expressions as ae

from renaissance.engine import functions as vf
from renaissance.engine import selection
from renaissance.engine.contraction import contraction
from renaissance.engine.errors import ModelStructureError, UnsupportedFeatureError
from renaissance.engine.nodes import Node, align, apply, deps_of, literal, union_dims

_ARITHMETIC = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "^": np.power,
}
_COMPARISON = {
    "=": np.equal,
    "<>": np.not_equal,
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
}

STATEFUL_STRUCTURES = (
    ae.IntegStructure,
    ae.DelayStructure,
    ae.DelayNStructure,
    ae.DelayFixedStructure,
    ae.SmoothStructure,
    ae.SmoothNStructure,
    ae.TrendStructure,
    ae.ForecastStructure,
    ae.SampleIfTrueStructure,
    ae.InitialStructure,
)


@dataclass(frozen=True)
class Scope:
    """Where an expression is compiled: the variable and the dims of its component."""

    element: str
    dims: tuple[str, ...]
    namespace: dict | None = field(default=None, compare=False, hash=False)


def _logical_and(a, b):
    return np.logical_and(a, b).astype(float)


def _logical_or(a, b):
    return np.logical_or(a, b).astype(float)


def _logical_not(a):
    return np.logical_not(a).astype(float)


class ExpressionCompiler:
    """Turns one component's AST into a Node laid out along ``scope.dims``.

    Parameters
    ----------
    model : renaissance.engine.compiler.ModelCompiler
        Gives access to variables, subscripts, lookups and the stateful registry.
    scope : Scope
        The variable being compiled and the dims of its left-hand side.
    """

    def __init__(self, model, scope: Scope):
        self.model = model
        self.scope = scope
        self.subs = model.subscripts

    # -- entry -------------------------------------------------------------------------
    def compile(self, ast) -> Node:
        if isinstance(ast, bool):
            return literal(float(ast))
        if isinstance(ast, (int, float, np.number)):
            return literal(float(ast))
        if isinstance(ast, np.ndarray):
            return self.array_literal(ast)
        method = getattr(self, "visit_" + type(ast).__name__, None)
        if method is None:
            words = re.findall(r"[A-Z][a-z]*", type(ast).__name__.replace("Structure", ""))
            raise self.unsupported(" ".join(words).upper())
        return method(ast)

    def unsupported(self, what: str) -> UnsupportedFeatureError:
        return UnsupportedFeatureError(
            f"{what} (used by variable {self.scope.element!r}) is not supported by the fast engine"
        )

    def array_literal(self, array: np.ndarray) -> Node:
        sizes = [len(self.model.range_elements(d)) for d in self.scope.dims]
        values = np.asarray(array, dtype=float)
        if values.size != int(np.prod(sizes)):
            raise ModelStructureError(
                f"variable {self.scope.element!r}: array literal of {values.size} values "
                f"does not fit dims {self.scope.dims} of sizes {sizes}"
            )
        constant = values.reshape((1, *sizes))
        return Node(lambda env: constant, self.scope.dims)

    # -- operators ---------------------------------------------------------------------
    def visit_ArithmeticStructure(self, ast) -> Node:
        ops, args = ast.operators, ast.arguments
        if ops == ["negative"]:
            return apply(operator.neg, [self.compile(args[0])])
        if ops and all(op == "^" for op in ops):
            nodes = [self.compile(a) for a in args]
            negate = isinstance(args[0], (int, float)) and args[0] < 0
            if negate:  # "-2^2" arrives as (-2)^2; Vensim means -(2^2)
                nodes[0] = literal(-float(args[0]))
            acc = nodes[-1]
            for node in reversed(nodes[:-1]):
                acc = apply(np.power, [node, acc])
            return apply(operator.neg, [acc]) if negate else acc
        acc = self.compile(args[0])
        for op, arg in zip(ops, args[1:], strict=True):
            if op not in _ARITHMETIC:
                raise self.unsupported(f"operator {op!r}")
            acc = apply(_ARITHMETIC[op], [acc, self.compile(arg)])
        return acc

    def visit_LogicStructure(self, ast) -> Node:
        ops, args = [op.upper() for op in ast.operators], ast.arguments
        if ops == [":NOT:"]:
            return apply(_logical_not, [self.compile(args[0])])
        if len(ops) == 1 and ops[0] in _COMPARISON:
            return apply(
                lambda a, b, f=_COMPARISON[ops[0]]: f(a, b).astype(float),
                [self.compile(args[0]), self.compile(args[1])],
            )
        acc = self.compile(args[-1])
        for op, arg in zip(reversed(ops), reversed(args[:-1]), strict=True):
            func = {":AND:": _logical_and, ":OR:": _logical_or}.get(op)
            if func is None:
                raise self.unsupported(f"operator {op!r}")
            acc = apply(func, [self.compile(arg), acc])
        return acc

    def visit_GameStructure(self, ast) -> Node:
        return self.compile(ast.expression)

    # -- names -------------------------------------------------------------------------
    def visit_ReferenceStructure(self, ast) -> Node:
        name = ast.reference
        subscripts = ast.subscripts.subscripts if ast.subscripts is not None else None
        if name == "time":
            return Node(lambda env: env["time"], (), None, frozenset({"time"}), frozenset({"time"}))
        var = self.variable(name)
        if var is not None:
            if var.kind == "lookup":
                raise self.unsupported(f"lookup {var.name!r} used as a value")
            return self.model.reference(var, subscripts, self.scope)
        range_name = self.subs.range_named(name)
        if range_name is not None:
            positions = self.subs.positions(range_name).reshape(1, -1)
            dim = self.rename_to_scope(range_name, ())
            return Node(lambda env: positions, (dim,))
        element = self.subs.element_named(name)
        if element is not None:
            return literal(self.subs.element_position(element))
        raise ModelStructureError(f"variable {self.scope.element!r} refers to unknown {name!r}")

    def variable(self, name: str):
        """The variable ``name`` refers to: a macro's own names first, then the model's."""
        namespace = self.scope.namespace
        if namespace is not None and name in namespace:
            return namespace[name]
        return self.model.variable(name)

    def rename_to_scope(self, dim: str, taken: tuple[str, ...]) -> str:
        """Dim name a range takes in this scope (mapped or copied ranges relabel)."""
        if dim in self.scope.dims or dim.endswith("!"):
            return dim
        for target in self.scope.dims:
            if target not in taken and self.subs.related(dim, target):
                return target
        return dim

    # -- calls -------------------------------------------------------------------------
    def visit_CallStructure(self, ast) -> Node:
        name = ast.function.reference
        args = ast.arguments
        macro = self.model.macro(name)
        if macro is not None:
            return macro.call(self, args)
        var = self.variable(name)
        if var is not None and var.kind == "lookup":
            if len(args) != 1:
                raise self.unsupported(f"lookup {var.name!r} called with {len(args)} arguments")
            subscripts = ast.function.subscripts
            return self.model.lookup_call(
                var, subscripts.subscripts if subscripts else None, self.compile(args[0]), self
            )
        if name == "if_then_else" and len(args) == 3:
            return selection.if_then_else(*(self.compile(a) for a in args))
        if name in vf.ELEMENTWISE:
            func, arity = vf.ELEMENTWISE[name]
            if len(args) != arity:
                raise self.unsupported(f"{name.upper()} with {len(args)} arguments")
            return apply(func, [self.compile(a) for a in args])
        if name == "sum" and _is_product(args[0]):
            factors = self.factors(args[0])
            if any(d.endswith("!") for f in factors for d in f.dims):
                return contraction(factors, self.scope.dims)
        if name in vf.REDUCTIONS:
            return self.reduction(vf.REDUCTIONS[name], self.compile(args[0]))
        if name in vf.TIME_INPUTS:
            return self.time_input(name, [self.compile(a) for a in args])
        if name == "active_initial":
            return self.active_initial(*(self.compile(a) for a in args))
        if name in ("vector_sort_order", "vector_rank") and len(args) == 2:
            return self.vector_order(name, self.compile(args[0]), self.compile(args[1]))
        if name == "vector_reorder" and len(args) == 2:
            vector, order = self.compile(args[0]), self.compile(args[1])
            dims = union_dims(vector.dims, order.dims)
            if not dims:
                raise self.unsupported("VECTOR REORDER of a scalar")
            return apply(_reorder, [align(vector, dims), align(order, dims)])
        if name == "invert_matrix" and len(args) in (1, 2):
            matrix = self.compile(args[0])
            if len(matrix.dims) < 2:
                raise self.unsupported("INVERT MATRIX of fewer than two dims")
            inner = matrix.fn
            # inverse over the last two dims, for every member and leading cell
            return Node(lambda env: np.linalg.inv(inner(env)), matrix.dims, None, **deps_of(matrix))
        if name == "pi" and not args:
            return literal(np.pi)
        if name == "elmcount" and len(args) == 1 and isinstance(args[0], ae.ReferenceStructure):
            range_name = self.subs.range_named(args[0].reference)
            if range_name is not None:
                return literal(len(self.subs.ranges[range_name]))
        raise self.unsupported(f"function {name.upper().replace('_', ' ')}")

    def vector_order(self, name: str, vector: Node, direction: Node) -> Node:
        """VECTOR SORT ORDER (0-based argsort on the last dim, flipped if direction <= 0)
        and VECTOR RANK (1-based rank) of ``vector``; ``direction`` must be a constant."""
        if not vector.dims or not direction.is_literal:
            raise self.unsupported(f"{name.upper()} of a scalar or with a variable direction")
        flip = direction.value <= 0
        rank = name == "vector_rank"
        inner = vector.fn

        def order(env):
            positions = np.argsort(inner(env), axis=-1)
            if flip:
                positions = np.flip(positions, axis=-1)
            if rank:
                positions = np.argsort(positions, axis=-1) + 1
            return positions.astype(float)

        return Node(order, vector.dims, None, **deps_of(vector))

    def factors(self, product) -> list[Node]:
        """Factors of ``a * b / c …``: a division is a product with the reciprocal.

        Mathematically the same product (left to right); only the rounding of the last
        bit can differ from dividing in place.
        """
        first, *rest = product.arguments
        nodes = [self.compile(first)]
        for symbol, argument in zip(product.operators, rest, strict=True):
            node = self.compile(argument)
            nodes.append(apply(np.divide, [literal(1.0), node]) if symbol == "/" else node)
        return nodes

    def reduction(self, func, node: Node) -> Node:
        axes = tuple(1 + i for i, d in enumerate(node.dims) if d.endswith("!"))
        if not axes:
            return node
        dims = tuple(d for d in node.dims if not d.endswith("!"))
        inner = node.fn
        return Node(lambda env: func(inner(env), axis=axes), dims, None, **deps_of(node))

    def time_input(self, name: str, nodes: list[Node]) -> Node:
        self.model.breakpoints.append((name, tuple(nodes)))
        clock = Node(lambda env: env["$tin"], (), None, frozenset({"time"}), frozenset({"time"}))
        if name == "step":
            # TIME STEP is an initial dependency: a run with another dt recomputes STEPs
            # (Plan.initialize reuses what does not depend on what a run changes)
            step_dt = Node(lambda env: env["$dt"], (), None, frozenset({"time"}),
                           frozenset({"time_step"}))  # fmt: skip
            return apply(vf.step, [clock, step_dt, *nodes])
        func = {"ramp": vf.ramp, "pulse": vf.pulse, "pulse_train": vf.pulse_train}[name]
        return apply(func, [clock, *nodes])

    def active_initial(self, expression: Node, initial: Node) -> Node:
        dims = union_dims(expression.dims, initial.dims)
        e, i = (align(n, dims) for n in (expression, initial))
        fe, fi = (_const_fn(n) for n in (e, i))
        return Node(
            lambda env: fi(env) if env["$initialising"] else fe(env),
            dims,
            None,
            expression.step_deps | {"time"},
            initial.init_deps,
        )

    # -- structures --------------------------------------------------------------------
    def visit_InlineLookupsStructure(self, ast) -> Node:
        return self.model.inline_lookup(ast.lookups, self.compile(ast.argument), self)

    def _stateful(self, ast) -> Node:
        return self.model.statefuls.add(ast, self)

    visit_IntegStructure = _stateful
    visit_DelayStructure = _stateful
    visit_DelayNStructure = _stateful
    visit_DelayFixedStructure = _stateful
    visit_SmoothStructure = _stateful
    visit_SmoothNStructure = _stateful
    visit_TrendStructure = _stateful
    visit_ForecastStructure = _stateful
    visit_SampleIfTrueStructure = _stateful
    visit_InitialStructure = _stateful

    def visit_SubscriptsReferenceStructure(self, ast) -> Node:
        raise self.unsupported("bare subscript list")


def _const_fn(node: Node):
    if node.is_literal:
        value = np.array([node.value])
        return lambda env: value
    return node.fn


def _is_product(ast) -> bool:
    return (
        isinstance(ast, ae.ArithmeticStructure)
        and len(ast.arguments) > 1
        and all(op in ("*", "/") for op in ast.operators)
    )


def _reorder(vector, order):
    """VECTOR REORDER: ``vector`` taken at positions ``order`` along the last dim."""
    shape = np.broadcast_shapes(np.shape(vector), np.shape(order))
    index = np.broadcast_to(np.asarray(order).astype(int), shape)
    return np.take_along_axis(np.broadcast_to(vector, shape), index, axis=-1)
