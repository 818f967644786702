"""Every name ``renaissance.sensitivity`` exports can be imported."""

import pytest

import renaissance.sensitivity as sensitivity


@pytest.mark.parametrize("name", sensitivity.__all__)
def test_public_name_is_importable(name):
    assert getattr(sensitivity, name) is not None


def test_all_is_unique():
    # the order is ruff's (RUF022: constants, classes, then functions, each sorted)
    assert len(set(sensitivity.__all__)) == len(sensitivity.__all__)
