"""Read the Vensim model file into PySD's abstract model, once per path.

Used by the parameter table and the units checker; the fast engine has its own loader.
"""

from functools import lru_cache
from pathlib import Path

from pysd.translators.vensim.vensim_file import VensimFile


@lru_cache(maxsize=8)
def abstract_elements(model_file: Path) -> tuple:
    """Return the elements of the main section of a Vensim model.

    Parameters
    ----------
    model_file : pathlib.Path
        Path to a ``.mdl`` file. Nothing is written beside it.

    Returns
    -------
    tuple of pysd AbstractElement
        The parsed elements in file order.
    """
    parsed = VensimFile(Path(model_file).resolve())
    parsed.parse()
    return tuple(parsed.get_abstract_model().sections[0].elements)


def normalised_name(name: str) -> str:
    """Return PySD's reference form of a variable name (lower case, spaces as ``_``)."""
    return " ".join(name.split()).lower().replace(" ", "_")
