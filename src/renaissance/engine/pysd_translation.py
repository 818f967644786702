r'''PySD's Python translation of a model file, made safe to import.

PySD's builder writes a ``.py`` file beside the ``.mdl`` and imports it. It pastes each
variable's comment, as written, between triple quotes at the top of the variable's
function: a comment such as ``""" if __import__("os").system("...") else """`` closes
the docstring and becomes code that runs when the model does. Text from a file must
never run, so :func:`translate`

1. parses the file through the checked parse front
   (:func:`~renaissance.engine.model.read_abstract_model`, a fresh parse: the cached
   one is shared with the fast engine and must keep its comments),
2. sanitises every comment of the parsed model: double quotes become single quotes and
   backslashes slashes, so no comment can close its docstring,
3. builds the Python file with PySD's own builder, and
4. checks the generated code before anything imports it (:func:`check_generated_code`):
   every expression statement is a docstring, nothing names a builtin or module that
   reaches the system (``__import__``, ``eval``, ``open``, ``os`` …) or a dunder
   attribute, and imports come only from PySD, numpy, xarray, scipy and pathlib.

A file that fails step 4 is refused (:class:`~renaissance.engine.errors.ModelFileError`)
and its generated ``.py`` removed.
'''

from __future__ import annotations

import ast
import warnings
from pathlib import Path

from renaissance.engine.errors import ModelFileError, UnsupportedFeatureError

ALLOWED_IMPORTS = ("pysd", "numpy", "xarray", "scipy", "pathlib", "pandas")
"""Top-level packages generated code may import from."""
FORBIDDEN_NAMES = frozenset(
    {
        "__import__",
        "__builtins__",
        "eval",
        "exec",
        "compile",
        "open",
        "getattr",
        "setattr",
        "delattr",
        "globals",
        "locals",
        "vars",
        "breakpoint",
        "input",
        "exit",
        "quit",
        "os",
        "sys",
        "subprocess",
        "shutil",
        "builtins",
        "importlib",
        "pickle",
        "socket",
    }
)
"""Names no generated model code uses; any of them means text from the file became code."""
ALLOWED_DUNDER_NAMES = frozenset({"__file__", "__pysd_version__", "__data"})
FORBIDDEN_ATTRIBUTES = frozenset(
    {
        "system",
        "popen",
        "spawn",
        "fork",
        "kill",
        "unlink",
        "remove",
        "rmdir",
        "rmtree",
        "touch",
        "mkdir",
        "chmod",
        "open",
        "read_text",
        "read_bytes",
        "write_text",
        "write_bytes",
        "symlink_to",
        "hardlink_to",
    }
)
"""Attributes that reach the file system or processes (PySD's code uses none)."""


def sanitise_comments(abstract_model) -> None:
    """Replace the characters that could close a docstring in every comment (in place)."""
    for section in abstract_model.sections:
        for element in section.elements:
            documentation = getattr(element, "documentation", None)
            if documentation:
                element.documentation = documentation.replace('"', "'").replace("\\", "/")


def check_generated_code(python_file: Path, model_file: Path) -> None:
    """Refuse generated code that does more than PySD's builder writes from equations.

    Raises
    ------
    ModelFileError
        Naming the model file and what in the generated code was refused.
    UnsupportedFeatureError
        The code calls PySD's ``not_implemented_function`` (which would fail at run time).
    """
    text = Path(python_file).read_text(encoding="utf-8", errors="replace")
    try:
        tree = ast.parse(text)
    except SyntaxError as error:
        raise ModelFileError(
            model_file, "", f"PySD's translation is not valid Python ({error.msg}); refused"
        ) from None
    missing = sorted(
        {
            str(node.args[0].value).replace("_", " ").upper()
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "not_implemented_function"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        }
    )
    if missing:
        raise UnsupportedFeatureError(
            f"{Path(model_file).name}: PySD does not implement the function(s) {', '.join(missing)}"
        )
    for node in ast.walk(tree):
        problem = _problem(node)
        if problem is not None:
            raise ModelFileError(
                model_file,
                "",
                f"text from the file would become code in PySD's translation ({problem}, "
                f"line {getattr(node, 'lineno', '?')} of the generated Python); refused",
            )


def _problem(node) -> str | None:
    if isinstance(node, ast.Expr) and not (
        isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    ):
        return "an expression statement that is not a docstring"
    if isinstance(node, ast.Name):
        if node.id in FORBIDDEN_NAMES:
            return f"the name {node.id!r}"
        if node.id.startswith("__") and node.id not in ALLOWED_DUNDER_NAMES:
            return f"the name {node.id!r}"
    if isinstance(node, ast.Attribute):
        if node.attr.startswith("__") or node.attr in FORBIDDEN_ATTRIBUTES:
            return f"the attribute {node.attr!r}"
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.split(".")[0] not in ALLOWED_IMPORTS:
                return f"an import of {alias.name!r}"
    if isinstance(node, ast.ImportFrom):
        if node.level or (node.module or "").split(".")[0] not in ALLOWED_IMPORTS:
            return f"an import from {node.module!r}"
    return None


def translate(model_file: Path) -> Path:
    """Parse, sanitise, build and check ``model_file``; return the checked ``.py`` file.

    Raises
    ------
    ModelFileError
        The file cannot be parsed, or its translation was refused.
    UnsupportedFeatureError
        PySD does not implement a function the model uses (the function is named).
    """
    from pysd.builders.python.python_model_builder import ModelBuilder

    from renaissance.engine.model import read_abstract_model

    model_file = Path(model_file)
    name = model_file.name
    if any(character in name for character in "\"'\\\n\r"):
        raise ModelFileError(
            model_file,
            "",
            "a model file name with quotes, backslashes or line breaks is "
            "refused (PySD writes the name into the Python it generates)",
        )
    abstract_model = read_abstract_model(model_file, use_cache=False)
    sanitise_comments(abstract_model)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            python_file = Path(ModelBuilder(abstract_model).build_model())
    except (NotImplementedError, ValueError, KeyError, IndexError, TypeError) as error:
        # PySD's builder fails on constructs it does not support with plain exceptions
        message = " ".join(str(error).split()) or type(error).__name__
        raise UnsupportedFeatureError(f"PySD cannot translate {name}: {message}") from None
    generated = [python_file] + [
        Path(section.path).with_suffix(".py") for section in abstract_model.sections[1:]
    ]
    try:
        for path in generated:
            if path.is_file():
                check_generated_code(path, model_file)
    except (ModelFileError, UnsupportedFeatureError):
        for path in generated:
            path.unlink(missing_ok=True)
        raise
    return python_file
