"""The main section of a Vensim model as PySD's translator parses it.

Used by the parameter table, the units checker and the tests. Parsing goes through the
engine's :func:`~renaissance.engine.model.read_abstract_model`, cached by file content,
so every reader of the model sees one parse of its current text.
"""

from pathlib import Path

from renaissance.engine.model import read_abstract_model


def main_section(model_file: Path):
    """Return the main section (``AbstractSection``) of a Vensim model.

    Parameters
    ----------
    model_file : pathlib.Path
        Path to a ``.mdl`` file. Nothing is written beside it.
    """
    return read_abstract_model(Path(model_file)).sections[0]


def abstract_elements(model_file: Path) -> tuple:
    """Return the elements (``AbstractElement``) of a Vensim model in file order."""
    return tuple(main_section(model_file).elements)
