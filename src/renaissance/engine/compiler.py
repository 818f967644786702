"""Compile PySD's ``AbstractModel`` into a :class:`~renaissance.engine.plan.Plan`.

Steps: resolve subscript ranges; classify each element (auxiliary, lookup table); fix each
variable's final dims; compile every component's AST into Nodes, creating one Stateful
per stateful structure found; assemble piecewise definitions; order evaluation by
topological sort (once, here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pysd.translators.structures import abstract_expressions as ae
from pysd.translators.structures.abstract_model import AbstractLookup

from renaissance.engine import external, graph, lookups, nodes, statefuls, tape
from renaissance.engine.errors import ModelStructureError, UnsupportedFeatureError
from renaissance.engine.expressions import ExpressionCompiler, Scope
from renaissance.engine.macros import Macro
from renaissance.engine.names import normalize
from renaissance.engine.nodes import Node, align, deps_of
from renaissance.engine.plan import Plan
from renaissance.engine.references import reference_node
from renaissance.engine.subscripts import Subscripts

CONTROL_KEYS = ("initial_time", "final_time", "time_step", "saveper")


@dataclass
class Variable:
    """One model variable: its name, final dims and (once compiled) its Node or table."""

    key: str
    name: str
    dims: tuple[str, ...]
    units: str
    documentation: str
    kind: str  # "aux" or "lookup"
    components: list
    node: Node | None = None
    table: lookups.LookupTable | None = None
    compiling: bool = field(default=False, repr=False)
    namespace: dict | None = field(default=None, repr=False)
    hidden: bool = False  # internal variables of inlined macros


class ModelCompiler:
    """Build a Plan from the main section of a PySD ``AbstractModel``.

    Parameters
    ----------
    abstract_model : pysd AbstractModel
        From ``VensimFile(path).parse(); .get_abstract_model()``.
    """

    def __init__(self, abstract_model):
        main = abstract_model.sections[0]
        self.root = Path(abstract_model.original_path).parent
        self.macros = {s.name: Macro(self, s) for s in abstract_model.sections[1:]}
        self.macro_calls = 0
        self.macro_keys: list[str] = []
        self.subscripts = Subscripts(main.subscripts, self.root)
        self.variables: dict[str, Variable] = {}
        self.breakpoints: list[tuple[str, tuple[Node, ...]]] = []
        for element in main.elements:
            self._declare(element)
        self.statefuls = StatefulRegistry(self)

    # -- declaration -------------------------------------------------------------------
    def _declare(self, element) -> None:
        key = normalize(element.name)
        comps = list(element.components)
        data = [c for c in comps if isinstance(c.ast, ae.DataStructure)]
        lookup = [c for c in comps if isinstance(c, AbstractLookup)]
        kind = "lookup" if lookup else "aux"
        if data:
            kind = "data"
        lhs = [list(c.subscripts[0]) for c in comps]
        dims: tuple[str, ...] = ()
        if any(lhs):
            if not all(lhs):
                raise ModelStructureError(f"variable {element.name!r} mixes dims")
            dims = tuple(self.subscripts.merge_dims(lhs, element.name))
        self.variables[key] = Variable(
            key, element.name, dims, element.units or "", element.documentation or "", kind, comps
        )

    def range_elements(self, dim: str) -> list[str]:
        bare = dim[:-1] if dim.endswith("!") else dim
        return self.subscripts.ranges[bare]

    def sizes(self, dims) -> tuple[int, ...]:
        return tuple(len(self.range_elements(d)) for d in dims)

    # -- services for the expression compiler -----------------------------------------
    def variable(self, key: str) -> Variable | None:
        var = self.variables.get(key)
        if var is not None and var.kind == "data":
            raise UnsupportedFeatureError(
                f"data variable {var.name!r} (data supplied at run time, not GET DATA)"
            )
        return var

    def macro(self, name: str):
        return self.macros.get(name)

    def reference(self, var: Variable, subscripts, scope: Scope) -> Node:
        compiler = ExpressionCompiler(self, scope)
        return reference_node(compiler, var, subscripts, scope)

    def lookup_call(self, var: Variable, subscripts, argument: Node, compiler) -> Node:
        table = self.table(var)
        if subscripts:
            node = reference_node(compiler, var, subscripts, compiler.scope)
            y = node.fn({var.key: table.y[None]})[0]
            table = lookups.LookupTable(table.x, y, node.dims)
        return lookups.call_node(table, argument)

    def inline_lookup(self, ast, argument: Node, compiler) -> Node:
        x = np.asarray(ast.x, dtype=float)
        y = np.asarray(ast.y, dtype=float)
        return lookups.call_node(lookups.LookupTable(x, y, ()), argument)

    # -- lookups -----------------------------------------------------------------------
    def table(self, var: Variable) -> lookups.LookupTable:
        if var.table is not None:
            return var.table
        rows = []
        for comp in var.components:
            lhs = list(comp.subscripts[0])
            index = self._block_index(var, lhs)
            ast = comp.ast
            if isinstance(ast, ae.GetLookupsStructure):
                coords = self._coords(lhs)
                x, y = external.read_lookup(ast, coords, self.root, var.name)
            elif isinstance(ast, ae.LookupsStructure):
                x, y = np.asarray(ast.x, dtype=float), np.asarray(ast.y, dtype=float)
            else:
                what = type(ast).__name__
                raise UnsupportedFeatureError(f"lookup {var.name!r} defined by {what}")
            rows.append((index, x, y))
        grid, table = lookups.merge_rows(rows, self.sizes(var.dims))
        var.table = lookups.LookupTable(grid, table, var.dims)
        return var.table

    def _coords(self, lhs: list[str]) -> dict:
        coords = {}
        for entry in lhs:
            dim, elements = self.subscripts.coords_of(entry)
            while dim in coords:
                dim = dim + "_"
            coords[dim] = elements
        return coords

    def _block_index(self, var: Variable, lhs: list[str]) -> tuple:
        lists = self._index_lists(var, lhs)
        return np.ix_(*lists) if lists else ()

    # -- auxiliaries -------------------------------------------------------------------
    def compile_variable(self, var: Variable) -> Node:
        if var.node is not None:
            return var.node
        if var.compiling:
            raise ModelStructureError(f"recursive definition of {var.name!r}")
        var.compiling = True
        parts = []
        for comp in var.components:
            lhs, excepts = list(comp.subscripts[0]), comp.subscripts[1]
            scope_dims = tuple(e for e in lhs if self.subscripts.is_range(e))
            scope = Scope(var.name, scope_dims, var.namespace)
            node = self._component(var, comp, lhs, scope)
            try:
                node = align(node, scope_dims)
            except ValueError:
                raise ModelStructureError(
                    f"variable {var.name!r}: expression has dims {node.dims}, "
                    f"left-hand side {scope_dims}"
                ) from None
            parts.append((lhs, excepts, node))
        var.node = self._assemble(var, parts)
        return var.node

    def _component(self, var, comp, lhs, scope) -> Node:
        ast = comp.ast
        if isinstance(ast, ae.GetDataStructure):
            keyword = getattr(comp, "keyword", None)
            times, values, method = external.read_data(
                ast, keyword, self._coords(lhs), self.root, var.name
            )
            shape = (1, *self.sizes(scope.dims))

            def at_time(env):
                return external.data_at(float(env["time"][0]), times, values, method).reshape(shape)

            deps = frozenset({"time"})
            return Node(at_time, scope.dims, None, deps, deps)
        if isinstance(ast, ae.GetConstantsStructure):
            values = external.read_constant(ast, self._coords(lhs), self.root, var.name)
            values = values.reshape((1, *self.sizes(scope.dims)))
            return Node(lambda env: values, scope.dims)
        return ExpressionCompiler(self, scope).compile(ast)

    def _assemble(self, var: Variable, parts) -> Node:
        sizes = self.sizes(var.dims)
        deps = deps_of(*(node for _, _, node in parts))
        if len(parts) == 1 and not parts[0][1] and tuple(parts[0][0]) == var.dims:
            node = parts[0][2]
            if not var.dims:
                return node
            fn = _evaluator(node)
            full = sizes
            probe: list[bool] = []  # subscript sizes of a node's value never change

            def whole(env):
                value = fn(env)
                if not probe:
                    probe.append(value.shape[1:] != full)
                if probe[0]:
                    value = np.broadcast_to(value, (value.shape[0], *full))
                return value

            # once the first value shows that no broadcast is needed, the plan calls the
            # expression directly (one Python call less per variable and evaluation)
            whole.unwrapped = lambda: fn if probe and not probe[0] else None
            return Node(whole, var.dims, None, **deps)
        blocks = []
        for lhs, excepts, node in parts:
            lists = self._index_lists(var, lhs)
            block_shape = tuple(len(ix) for ix in lists)
            is_range = [self.subscripts.is_range(e) for e in lhs]
            mask = self._except_mask(lhs, excepts, block_shape)
            blocks.append((np.ix_(*lists), block_shape, is_range, mask, _evaluator(node)))

        def assemble(env):
            values = [block[-1](env) for block in blocks]
            members = max(v.shape[0] for v in values)
            if tape.is_traced(*values):
                out = tape.filled(values, (members, *sizes), np.nan)
            else:
                out = np.full((members, *sizes), np.nan)
            for (index, shape, is_range, mask, _), value in zip(blocks, values, strict=True):
                target = (slice(None), *index)
                axes = iter(value.shape[1:])
                fitted = [next(axes, 1) if r else 1 for r in is_range]
                value = np.broadcast_to(value.reshape(value.shape[0], *fitted), (members, *shape))
                if mask is not None:
                    value = np.where(mask, out[target], value)
                out[target] = value
            return out

        return Node(assemble, var.dims, None, **deps)

    def _index_lists(self, var, lhs):
        lists = []
        for entry, dim in zip(lhs, var.dims, strict=True):
            available = self.range_elements(dim)
            _, elements = self.subscripts.coords_of(entry)
            lists.append([available.index(e) for e in elements])
        return lists

    def _except_mask(self, lhs, excepts, block_shape):
        if not excepts:
            return None
        mask = np.zeros(block_shape, dtype=bool)
        _, block_elements = zip(*(self.subscripts.coords_of(e) for e in lhs), strict=True)
        for group in excepts:
            lists = []
            for entry, elements in zip(group, block_elements, strict=True):
                _, excluded = self.subscripts.coords_of(entry)
                lists.append([i for i, e in enumerate(elements) if e in excluded])
            mask[np.ix_(*lists)] = True
        return mask

    def _compile_all(self) -> None:
        for var in list(self.variables.values()):
            if var.kind == "aux":
                self.compile_variable(var)
            elif var.kind == "lookup":
                self.table(var)

    # -- whole model -------------------------------------------------------------------
    def build(self, hoist: bool = True) -> Plan:
        """The plan of the model.

        ``hoist=False`` skips the second pass that moves static sub-expressions into
        slots: every equation then reads the variables it names straight from the
        environment, so that changing one value there changes what it reads (the
        diagrams' link polarities perturb inputs this way); runs are slower.
        """
        for key in CONTROL_KEYS:
            if key not in self.variables:
                raise ModelStructureError(f"the model defines no {key.upper()}")
        self._compile_all()
        first = graph.Orders(self.variables, self.statefuls.items)
        if not hoist:
            plan = Plan(self.variables, self.statefuls.items, first, self.subscripts)
            plan.breakpoints = self.breakpoints
            return plan
        dynamic = first.dynamic(set())
        static = (set(first.step_deps) - dynamic) | {
            s.key for s in self.statefuls.items if not s.dynamic
        }
        # second pass: the same compilation, with static sub-expressions hoisted out of
        # the step loop (see nodes.Hoister); keys are deterministic, so they match
        for key in self.macro_keys:
            del self.variables[key]
        self.macro_keys, self.macro_calls = [], 0
        for var in self.variables.values():
            var.node, var.compiling = None, False
        self.statefuls = StatefulRegistry(self)
        self.breakpoints = []
        hoister = nodes.Hoister(static)
        nodes.HOISTER = hoister
        try:
            self._compile_all()
        finally:
            nodes.HOISTER = None
        order = graph.Orders(self.variables, self.statefuls.items, hoister.slots)
        plan = Plan(self.variables, self.statefuls.items, order, self.subscripts, hoister.slots)
        plan.breakpoints = self.breakpoints
        return plan


def _evaluator(node: Node):
    if node.is_literal:
        value = np.array([node.value])
        return lambda env: value
    return node.fn


class StatefulRegistry:
    """Creates one Stateful per structure occurrence and hands out its Node."""

    def __init__(self, compiler: ModelCompiler):
        self.compiler = compiler
        self.items: list[statefuls.Stateful] = []
        self.count = 0

    def add(self, ast, expression_compiler: ExpressionCompiler) -> Node:
        scope = expression_compiler.scope
        self.count += 1  # nested structures compile their arguments before being appended
        key = f"${self.count}:{normalize(scope.element)}"

        def compile_arg(a):
            node = expression_compiler.compile(a)
            if not set(node.dims) <= set(scope.dims):
                raise ModelStructureError(
                    f"variable {scope.element!r}: argument dims {node.dims} exceed {scope.dims}"
                )
            return node

        stateful = statefuls.build(
            ast, compile_arg, key, scope.element, scope.dims, self.compiler.sizes(scope.dims)
        )
        self.items.append(stateful)
        return statefuls.node_for(stateful)
