"""Fixtures for the model tests: the fast engine compiles models/renaissance.mdl once."""

import warnings

import numpy as np
import pandas as pd
import pytest

from renaissance.engine import load_model
from renaissance.paths import MODEL_DIRECTORY, MODEL_FILE


@pytest.fixture(scope="session")
def model():
    """The renaissance model compiled by the fast engine (checked against PySD elsewhere)."""
    return load_model(MODEL_FILE)


@pytest.fixture(scope="session")
def baseline(model):
    """The no-policy baseline, 1991-2050, Euler dt 0.25, saved yearly."""
    return model.run()


@pytest.fixture(scope="session")
def roster():
    """The showcase roster as a DataFrame in model order."""
    return pd.read_csv(MODEL_DIRECTORY / "districts.csv")


@pytest.fixture(scope="session")
def stock_names(model):
    """Names of every INTEG stock of the model."""
    from pysd.translators.structures.abstract_expressions import IntegStructure

    from renaissance.model_file import abstract_elements

    return [
        element.name
        for element in abstract_elements(MODEL_FILE)
        if any(isinstance(component.ast, IntegStructure) for component in element.components)
    ]


@pytest.fixture(scope="session")
def assert_finite_non_negative():
    """A check that every value of every named variable is finite and >= 0."""

    def check(dataset, names):
        for name in names:
            values = dataset[name].values
            assert np.all(np.isfinite(values)), f"{name} is not finite"
            assert values.min() >= 0, f"{name} goes negative: {values.min()}"

    return check


@pytest.fixture(autouse=True)
def _numpy_warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield
