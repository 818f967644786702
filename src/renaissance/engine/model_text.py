"""The parse front: a model file is checked as text before PySD's parser sees it.

PySD's translator fails on hostile or careless files with its parser's exceptions
(``parsimonious ... IncompleteParseError``, ``TypeError: decode() argument 'encoding'
must be str`` for a binary file, ``RecursionError`` for deeply nested parentheses).
:func:`check_model_text` refuses what the parser cannot handle, before it runs:

- a file that is not a Vensim ``.mdl`` (XMILE is not read), larger than
  :data:`~renaissance.limits.MAX_MODEL_BYTES`, empty, binary (a NUL byte), or with an
  encoding header that names no known encoding;
- parentheses nested deeper than :data:`~renaissance.limits.MAX_EQUATION_NESTING`.

:func:`parse_error` turns a parser exception into a :class:`ModelFileError` with the
line and column in the file as written: PySD parses a copy in which every run of
white space is one space, so a position in that copy is mapped back through the same
collapse of the original text.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from renaissance.engine.errors import ModelFileError
from renaissance.limits import MAX_EQUATION_NESTING, MAX_MODEL_BYTES, MAX_SUBSCRIPT_ELEMENTS

_SKETCH = "\\\\\\---///"


def check_model_text(path: Path) -> str:
    """The text of the model file ``path``, or :class:`ModelFileError` naming the problem."""
    path = Path(path)
    if path.suffix.lower() in (".xmile", ".xmi", ".stmx", ".itmx"):
        raise ModelFileError(
            path,
            "",
            "XMILE files are not read; give a Vensim .mdl file (Stella and Vensim both export one)",
        )
    if path.suffix.lower() != ".mdl":
        raise ModelFileError(path, "", "not a Vensim model file: the name must end in .mdl")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_MODEL_BYTES + 1)
    except IsADirectoryError:
        raise ModelFileError(path, "", "is a folder, not a model file") from None
    except OSError as error:
        raise ModelFileError(path, "", f"cannot read the file: {error.strerror}") from None
    if len(raw) > MAX_MODEL_BYTES:
        raise ModelFileError(path, "", f"larger than {MAX_MODEL_BYTES:,} bytes")
    if not raw.strip():
        raise ModelFileError(
            path,
            "",
            "the file is empty; a model needs at least its control "
            "variables (INITIAL TIME, FINAL TIME, TIME STEP)",
        )
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise ModelFileError(path, "", "a NUL byte: this is a binary file, not model text", line)
    encoding = _encoding(path, raw)
    text = raw.decode(encoding, errors="replace")
    equations = text.split(_SKETCH, 1)[0]
    _check_nesting(path, equations)
    _check_numbered_ranges(path, equations)
    _check_lookups(path, equations)
    return text


_NUMBER_TEXT = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_PAIR = rf"\(\s*({_NUMBER_TEXT})\s*,\s*({_NUMBER_TEXT})\s*\)"
_PAIRS = re.compile(rf"{_PAIR}(?:\s*,\s*{_PAIR})+")
_ONE_PAIR = re.compile(_PAIR)
_NUMBERED_RANGE = re.compile(r"\(\s*([^\W\d][\w ]*?)(\d+)\s*-\s*\1(\d+)\s*\)")


def _line_column(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def _equation_parts(text: str):
    """``(offset, text)`` of each element's equation (before its units and comment)."""
    offset = 0
    for element in text.split("|"):
        yield offset, element.split("~", 1)[0]
        offset += len(element) + 1


def _check_numbered_ranges(path: Path, text: str) -> None:
    """Refuse ``(e1-e100000)`` before PySD expands it into a list of that length."""
    for offset, equation in _equation_parts(text):
        for match in _NUMBERED_RANGE.finditer(equation):
            count = int(match.group(3)) - int(match.group(2)) + 1
            if count > MAX_SUBSCRIPT_ELEMENTS:
                line, column = _line_column(text, offset + match.start())
                raise ModelFileError(
                    path,
                    "",
                    f"the subscript range {match.group(0)!r} has {count:,} elements; a range "
                    f"may have at most {MAX_SUBSCRIPT_ELEMENTS:,}",
                    line,
                    column,
                )


def _check_lookups(path: Path, text: str) -> None:
    """Refuse a lookup whose x values decrease: PySD would sort the points silently."""
    for offset, equation in _equation_parts(text):
        # the [(xmin,ymin)-(xmax,ymax),(reference points)] part is not the lookup
        equation = re.sub(r"\[[^\]]*\]", lambda m: " " * len(m.group(0)), equation)
        for match in _PAIRS.finditer(equation):
            points = [float(m.group(1)) for m in _ONE_PAIR.finditer(match.group(0))]
            for index in range(1, len(points)):
                if points[index] < points[index - 1]:
                    line, column = _line_column(text, offset + match.start())
                    raise ModelFileError(
                        path,
                        "",
                        f"a lookup's x values must increase, but point {index + 1} has x = "
                        f"{points[index]:g} after x = {points[index - 1]:g} (points are "
                        "(x, y) pairs in order of x)",
                        line,
                        column,
                    )


def _encoding(path: Path, raw: bytes) -> str:
    """The encoding PySD will read the file with, refused if it would fail.

    PySD takes the text between the first ``{`` and the last ``}`` of the first line as
    the encoding (Vensim writes ``{UTF-8}``), after guessing the first line's own
    encoding; UTF-8 when the line has no braces.
    """
    from chardet import detect

    first = raw.split(b"\n", 1)[0] + b"\n"
    guessed = detect(first)["encoding"]
    if guessed is None:
        raise ModelFileError(path, "", "the first line is not text in any known encoding", 1)
    header = re.search(r"(?<={)(.*)(?=})", first.decode(guessed, errors="replace"))
    if header is None:
        return "utf-8"
    encoding = header.group()
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ModelFileError(
            path,
            "",
            f"the first line names the encoding {encoding!r} between braces, which is not "
            "known (Vensim writes {UTF-8})",
            1,
        ) from None
    return encoding


def _check_nesting(path: Path, text: str) -> None:
    depth = 0
    line, column = 1, 0
    for character in text:
        column += 1
        if character == "\n":
            line, column = line + 1, 0
        elif character == "(":
            depth += 1
            if depth > MAX_EQUATION_NESTING:
                raise ModelFileError(
                    path,
                    "",
                    f"parentheses nested more than {MAX_EQUATION_NESTING} deep; an equation "
                    "that deep cannot be parsed (split it into intermediate variables)",
                    line,
                    column,
                )
        elif character == ")":
            depth = max(0, depth - 1)
        elif character == "|":  # end of an equation
            depth = 0


def check_subscript_ranges(path: Path, abstract_model) -> None:
    """Refuse a subscript range of more than :data:`MAX_SUBSCRIPT_ELEMENTS` elements."""
    for section in abstract_model.sections:
        for subscript_range in section.subscripts:
            elements = subscript_range.subscripts
            if isinstance(elements, list) and len(elements) > MAX_SUBSCRIPT_ELEMENTS:
                raise ModelFileError(
                    path,
                    subscript_range.name,
                    f"{len(elements):,} elements; a range may have at most "
                    f"{MAX_SUBSCRIPT_ELEMENTS:,} (every variable over it is an array that big, "
                    "per ensemble member)",
                )


def _collapsed(text: str) -> tuple[str, list[int]]:
    """``text`` with runs of white space made one space, and each position's origin."""
    out, origin = [], []
    previous_space = False
    for position, character in enumerate(text):
        if character.isspace():
            if previous_space:
                continue
            previous_space = True
            out.append(" ")
        else:
            previous_space = False
            out.append(character)
        origin.append(position)
    return "".join(out), origin


def _position(original: str, fragment: str, offset: int) -> tuple[int | None, int | None]:
    """Line and column in ``original`` of ``offset`` within ``fragment`` (a piece of
    PySD's whitespace-collapsed copy), or (None, None) if the fragment is not found."""
    collapsed, origin = _collapsed(original)
    fragment_collapsed, _ = _collapsed(fragment)
    start = collapsed.find(fragment_collapsed.strip())
    if start < 0:
        return None, None
    lead = len(fragment_collapsed) - len(fragment_collapsed.lstrip())
    index = min(len(origin) - 1, start + max(0, len(_collapsed(fragment[:offset])[0]) - lead))
    where = origin[index]
    line = original.count("\n", 0, where) + 1
    column = where - (original.rfind("\n", 0, where) + 1) + 1
    return line, column


def parse_error(path: Path, text: str, error: BaseException) -> ModelFileError:
    """A :class:`ModelFileError` in words for an exception of PySD's parser."""
    fragment = getattr(error, "text", None)
    offset = getattr(error, "pos", None)
    if fragment is None and error.__cause__ is not None:
        fragment, offset = (
            getattr(error.__cause__, "text", None),
            getattr(error.__cause__, "pos", None),
        )
    line = column = None
    if isinstance(fragment, str) and isinstance(offset, int):
        line, column = _position(text, fragment, offset)
        near = fragment[offset : offset + 40].strip() or "the end of the text"
        if type(error).__name__ == "IncompleteParseError":
            what = f"cannot read the text from {near!r} on (the equation ends too early?)"
        else:
            what = f"not valid Vensim syntax at {near!r}"
        equation = fragment.strip()
        shown = equation if len(equation) <= 80 else equation[:77] + "..."
        if shown and shown != near:
            what += f", in {shown!r}"
        return ModelFileError(path, "", what, line, column)
    if isinstance(error, RecursionError):
        return ModelFileError(path, "", "an expression is nested too deep to be parsed")
    return ModelFileError(path, "", f"cannot be parsed: {type(error).__name__}: {error}")
