"""Every name the package exports can be imported and is what it claims to be."""

import importlib

import pytest

import renaissance


@pytest.mark.parametrize("name", renaissance.__all__)
def test_public_name_is_importable(name):
    module = importlib.import_module("renaissance")
    assert getattr(module, name) is not None


def test_all_is_sorted_and_unique():
    assert list(renaissance.__all__) == sorted(set(renaissance.__all__))
