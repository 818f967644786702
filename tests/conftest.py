"""Configuration shared by every test: the parsed-model cache stays out of the user's home."""

import os

import pytest


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
