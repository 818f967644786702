"""Normalisation of Vensim names, as PySD's translator does it."""


def normalize(name: str) -> str:
    """Vensim identity of a name: whitespace collapsed, lower case, spaces as ``_``.

    >>> normalize("Teacup  Temperature")
    'teacup_temperature'
    """
    return "_".join(name.split()).lower()
