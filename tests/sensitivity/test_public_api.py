"""Every name ``renaissance.sensitivity`` exports can be imported."""

import pytest

import renaissance.sensitivity as sensitivity


@pytest.mark.parametrize("name", sensitivity.__all__)
def test_public_name_is_importable(name):
    assert getattr(sensitivity, name) is not None


def test_all_is_sorted_and_unique():
    assert list(sensitivity.__all__) == sorted(set(sensitivity.__all__))
