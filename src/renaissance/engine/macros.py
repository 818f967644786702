"""Vensim macros, inlined: each call site gets its own prefixed copy of the macro's
variables (and so its own stocks), as PySD builds one sub-model per call.

Only scalar macros are supported: arguments and macro variables without subscripts.
"""

from __future__ import annotations

from renaissance.engine.errors import ModelStructureError, UnsupportedFeatureError
from renaissance.engine.names import normalize


class Macro:
    """One ``:MACRO:`` section; :meth:`call` inlines it at a call site."""

    def __init__(self, compiler, section):
        self.compiler = compiler
        self.section = section

    def call(self, caller, args):
        """Compile a call ``MACRO(args)`` in the caller's scope; returns the result Node."""
        from renaissance.engine.compiler import Variable

        compiler, section = self.compiler, self.section
        if len(args) != len(section.params):
            raise ModelStructureError(
                f"variable {caller.scope.element!r} calls macro {section.name!r} with "
                f"{len(args)} arguments; it takes {len(section.params)}"
            )
        if section.returns:
            raise UnsupportedFeatureError(f"macro {section.name!r} with extra outputs")
        compiler.macro_calls += 1
        prefix = f"{section.name}#{compiler.macro_calls}."
        namespace: dict = {}
        for param, arg in zip(section.params, args, strict=True):
            node = caller.compile(arg)
            if node.dims:
                raise UnsupportedFeatureError(
                    f"subscripted argument of macro {section.name!r} in {caller.scope.element!r}"
                )
            key = prefix + normalize(param)
            namespace[normalize(param)] = Variable(
                key, prefix + param, (), "", "", "aux", [], node=node, hidden=True
            )
        for element in section.elements:
            if any(c.subscripts[0] for c in element.components):
                raise UnsupportedFeatureError(f"subscripted variable in macro {section.name!r}")
            key = normalize(element.name)
            namespace[key] = Variable(
                prefix + key,
                prefix + element.name,
                (),
                element.units or "",
                "",
                "aux",
                list(element.components),
                namespace=namespace,
                hidden=True,
            )
        output = namespace.get(normalize(section.name))
        if output is None:
            raise ModelStructureError(f"macro {section.name!r} defines no {section.name!r}")
        for var in namespace.values():
            compiler.variables[var.key] = var
            compiler.macro_keys.append(var.key)
        for var in namespace.values():
            if var.node is None:
                compiler.compile_variable(var)
        return compiler.reference(output, None, caller.scope)
