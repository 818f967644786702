"""The one kind of error bad input raises: it names the file, the key, the value and what
is allowed.

Every reader of user input (scenario YAML, roster CSV, model files, command-line flags)
raises an :class:`InputError` (or a subclass) before any work starts; the command line
turns it into exit status 2 with the message, never a traceback.
"""

from __future__ import annotations


class InputError(ValueError):
    """A file or flag given by the user is missing, malformed or outside what is allowed.

    The message reads ``FILE[:LINE[:COLUMN]]: key: message``.

    Parameters
    ----------
    file : str or pathlib.Path
        The file (or folder, or ``--flag``) the problem is in.
    key : str
        Key path inside the file (``policies[2].budget``), column and row of a table
        (``employment_1991 (row 3)``) or flag name; empty for the whole file.
    message : str
        The value given and what is allowed.
    line, column : int, optional
        1-based position in the file, when known.
    """

    def __init__(
        self, file, key: str, message: str, line: int | None = None, column: int | None = None
    ):
        self.file = str(file)
        self.key = key
        self.message = message
        self.line = line
        self.column = column
        where = self.file
        if line is not None:
            where += f":{line}" + (f":{column}" if column is not None else "")
        super().__init__(f"{where}: {key + ': ' if key else ''}{message}")


class InputErrors(InputError):
    """Several problems found in one pass over a file, reported all at once.

    Parameters
    ----------
    errors : list of InputError
        The problems, in file order; the message lists every one on its own line.
    """

    def __init__(self, errors: list[InputError]):
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(first.file, first.key, first.message, first.line, first.column)
        lines = [str(error) for error in self.errors]
        if len(lines) > 1:
            self.args = (f"{len(lines)} problems:\n  " + "\n  ".join(lines),)
