"""Helpers for scenario tests: write small YAML files into a temporary folder."""

import textwrap

import pytest


@pytest.fixture
def write(tmp_path):
    """``write(name, text)`` -> path of ``tmp_path/name`` holding the dedented text."""

    def _write(name: str, text: str):
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return _write


MINIMAL = """
name: trial
description: a test scenario
"""
