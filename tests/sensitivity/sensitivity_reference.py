"""Constants and reference functions shared by the sensitivity tests (imported by name:
``conftest`` is ambiguous when several test folders have one)."""

import numpy as np

SHORT_HORIZON = 1996.0
"""Final year of the model runs in these tests (the model starts in 1991)."""


def ishigami(values: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """Ishigami & Homma (1990), doi:10.1109/ISUMA.1990.151285; inputs on [-pi, pi]^3."""
    x1, x2, x3 = values.T
    return np.sin(x1) + a * np.sin(x2) ** 2 + b * x3**4 * np.sin(x1)
