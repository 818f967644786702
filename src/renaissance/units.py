"""Dimensional analysis of the model's equations.

Units strings of the ``.mdl`` (``M€/(person*year)``, ``1/year``, ``Dmnl``) are parsed into
products of base units with integer exponents; the units of every equation's right-hand
side are then inferred from the units of the variables it references and compared with
the units declared on its left-hand side. Numbers are dimensionless but may stand beside
any quantity in a sum (``1 - share``), as SD modellers write them.
"""

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pysd.translators.structures import abstract_expressions as ast

from renaissance.engine.names import normalize
from renaissance.model_file import abstract_elements

DIMENSIONLESS = ("dmnl", "dimensionless", "1", "")
_TOKEN = re.compile(r"\s*([A-Za-z_€$%][\w€$%]*|\d+(?:\.\d+)?|[*/^()])")


class UnitsError(ValueError):
    """Raised when a units string cannot be parsed."""


class Units(Counter):
    """A product of base units with integer exponents; empty means dimensionless."""

    def __mul__(self, other):
        result = Units(self)
        result.update(other)
        return Units({unit: power for unit, power in result.items() if power})

    def __truediv__(self, other):
        return self * Units({unit: -power for unit, power in other.items()})

    def __pow__(self, exponent):
        return Units({unit: power * exponent for unit, power in self.items() if power * exponent})

    def __str__(self):
        if not self:
            return "Dmnl"
        return "*".join(
            f"{unit}^{power}" if power != 1 else unit for unit, power in sorted(self.items())
        )


ANY = None
"""Marker for a bare number: compatible with any units in sums and comparisons."""


def parse_units(text: str) -> Units:
    """Parse a Vensim units string such as ``M€/(person*year)``.

    Raises
    ------
    UnitsError
        If the string holds characters or structure the parser does not know.
    """
    cleaned = text.strip()
    if cleaned.lower() in DIMENSIONLESS:
        return Units()
    tokens = _TOKEN.findall(cleaned)
    if "".join(tokens) != cleaned.replace(" ", ""):
        raise UnitsError(f"cannot parse units {text!r}")
    position = 0

    def factor():
        nonlocal position
        token = tokens[position]
        position += 1
        if token == "(":
            value = product()
            position += 1  # closing parenthesis
        elif token[0].isdigit():
            value = Units()
        else:
            value = Units() if token.lower() in DIMENSIONLESS else Units({token: 1})
        if position < len(tokens) and tokens[position] == "^":
            value = value ** int(tokens[position + 1])
            position += 2
        return value

    def product():
        nonlocal position
        value = factor()
        while position < len(tokens) and tokens[position] in "*/":
            operator = tokens[position]
            position += 1
            value = value * factor() if operator == "*" else value / factor()
        return value

    return product()


@dataclass(frozen=True)
class UnitsIssue:
    """One equation whose inferred units differ from its declared units."""

    variable: str
    declared: str
    inferred: str
    detail: str = ""


class _Inference:
    """Infer the units of PySD AST nodes from a table of declared units."""

    def __init__(self, declared: dict[str, Units]):
        self.declared = declared
        self.problems: list[str] = []

    def same(self, values, where):
        known = [value for value in values if value is not ANY]
        for value in known[1:]:
            if value != known[0]:
                self.problems.append(f"{where}: {known[0]} vs {value}")
        return known[0] if known else ANY

    def infer(self, node):
        if isinstance(node, (int, float, np.integer, np.floating, np.ndarray)):
            return ANY
        if isinstance(node, ast.ReferenceStructure):
            name = node.reference
            if name == "time":
                return Units({"year": 1})
            return self.declared.get(name, ANY)  # ranges used as values are numbers
        if isinstance(node, ast.ArithmeticStructure):
            return self.arithmetic(node)
        if isinstance(node, ast.LogicStructure):
            for argument in node.arguments:
                self.infer(argument)
            return Units()
        if isinstance(node, ast.CallStructure):
            return self.call(node)
        if isinstance(node, ast.InitialStructure):
            return self.infer(node.initial)
        if isinstance(node, ast.IntegStructure):
            return self.infer(node.initial)
        if isinstance(node, ast.SmoothStructure):
            return self.same([self.infer(node.input), self.infer(node.initial)], "SMOOTH")
        return ANY

    def arithmetic(self, node):
        operands = [self.infer(argument) for argument in node.arguments]
        if node.operators == ["negative"]:
            return operands[0]
        result = operands[0]
        for operator, operand in zip(node.operators, operands[1:], strict=True):
            if operator in "+-":
                result = self.same([result, operand], f"'{operator}'")
            elif operator == "*":
                result = (
                    ANY
                    if result is ANY and operand is ANY
                    else (result or Units()) * (operand or Units())
                )
            elif operator == "/":
                result = (
                    ANY
                    if result is ANY and operand is ANY
                    else (result or Units()) / (operand or Units())
                )
            elif operator == "^":
                result = result  # exponents in this model apply to dimensionless bases
        return result

    def call(self, node):
        function = node.function.reference
        arguments = [self.infer(argument) for argument in node.arguments]
        if function in ("min", "max", "sum", "prod", "vmin", "vmax", "abs", "integer"):
            return self.same(arguments, function.upper())
        if function == "if_then_else":
            return self.same(arguments[1:], "IF THEN ELSE")
        if function == "zidz":
            return self.divide(arguments[0], arguments[1])
        if function == "xidz":
            return self.same([self.divide(arguments[0], arguments[1]), arguments[2]], "XIDZ")
        if function == "sqrt":
            base = arguments[0]
            return ANY if base is ANY else Units({u: p // 2 for u, p in base.items()})
        if function in ("exp", "ln", "step", "pulse", "modulo", "ramp"):
            return Units() if function not in ("step", "modulo") else arguments[0]
        if function in self.declared:  # lookup call
            return self.declared[function]
        return ANY

    @staticmethod
    def divide(numerator, denominator):
        if numerator is ANY and denominator is ANY:
            return ANY
        return (numerator or Units()) / (denominator or Units())


def check_units(model_file: Path) -> list[UnitsIssue]:
    """Return the equations of a model whose right-hand side units differ from the declared ones.

    Stocks are checked twice: the initial value must have the stock's units and the net
    flow must have the stock's units per ``year``.
    """
    elements = abstract_elements(Path(model_file))
    declared = {normalize(element.name): parse_units(element.units) for element in elements}
    issues = []
    per_year = Units({"year": -1})
    for element in elements:
        name = normalize(element.name)
        for component in element.components:
            tree = component.ast
            checks = [(tree, declared[name], "equation")]
            if isinstance(tree, ast.IntegStructure):
                checks = [
                    (tree.initial, declared[name], "initial value"),
                    (tree.flow, declared[name] * per_year, "net flow"),
                ]
            if isinstance(tree, (ast.GetConstantsStructure, ast.LookupsStructure)):
                continue
            for node, expected, part in checks:
                inference = _Inference(declared)
                inferred = inference.infer(node)
                if inference.problems:
                    issues.append(
                        UnitsIssue(
                            element.name,
                            str(expected),
                            "?",
                            f"{part}: " + "; ".join(inference.problems),
                        )
                    )
                elif inferred is not ANY and inferred != expected:
                    issues.append(UnitsIssue(element.name, str(expected), str(inferred), part))
    return issues
