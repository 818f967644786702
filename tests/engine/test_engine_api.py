"""The engine's public names are importable from the package root and listed in __all__."""

import renaissance
import renaissance.engine


def test_engine_names_are_exported_from_the_package():
    for name in ("Model", "load_model"):
        assert name in renaissance.__all__
        assert getattr(renaissance, name) is getattr(renaissance.engine, name)


def test_all_is_sorted_and_importable():
    assert renaissance.__all__ == sorted(renaissance.__all__)
    for module in (renaissance, renaissance.engine):
        for name in module.__all__:
            assert getattr(module, name) is not None
