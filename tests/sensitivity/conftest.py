"""Fixtures of the sensitivity tests: a short horizon keeps model runs to milliseconds."""

import os

import numpy as np
import pytest

SHORT_HORIZON = 1996.0
"""Final year of the model runs in these tests (the model starts in 1991)."""


@pytest.fixture(scope="session", autouse=True)
def _private_model_cache(tmp_path_factory):
    """Keep the parsed-model cache of the test session out of the user's home."""
    previous = os.environ.get("RENAISSANCE_CACHE_DIR")
    os.environ["RENAISSANCE_CACHE_DIR"] = str(tmp_path_factory.mktemp("model-cache"))
    yield
    if previous is None:
        del os.environ["RENAISSANCE_CACHE_DIR"]
    else:
        os.environ["RENAISSANCE_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def short_setup():
    """The bare showcase model, 1991-1996 at dt 1/4."""
    from renaissance.sensitivity import Setup

    return Setup.for_model(final_time=SHORT_HORIZON, dt=0.25)


@pytest.fixture(scope="session")
def small_problem():
    """Five parameters with visible effects within five years."""
    from renaissance.sensitivity import define_problem

    return define_problem(["World Demand Growth Rate*", "Hiring Adjustment Time"])


def ishigami(values: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """Ishigami & Homma (1990), doi:10.1109/ISUMA.1990.151285; inputs on [-pi, pi]^3."""
    x1, x2, x3 = values.T
    return np.sin(x1) + a * np.sin(x2) ** 2 + b * x3**4 * np.sin(x1)
