"""The parsed-model cache: reused for the same file content, never for changed content."""

from __future__ import annotations

import pytest
from mdl_text import write_model
from pysd.translators.vensim import vensim_file

from renaissance.engine import load_model


def _forbid_parsing(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("the model was parsed again")

    monkeypatch.setattr(vensim_file.VensimFile, "parse", fail)


def test_same_content_is_not_parsed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("RENAISSANCE_CACHE_DIR", str(tmp_path / "cache"))
    path = write_model(tmp_path, {"Stock": "INTEG(-Stock / Tau, 100)", "Tau": "2"})
    first = load_model(path).run()
    _forbid_parsing(monkeypatch)
    second = load_model(path).run()
    assert first.drop_attrs().identical(second.drop_attrs())


def test_changed_content_is_parsed(tmp_path, monkeypatch):
    monkeypatch.setenv("RENAISSANCE_CACHE_DIR", str(tmp_path / "cache"))
    path = write_model(tmp_path, {"Stock": "INTEG(-Stock / Tau, 100)", "Tau": "2"})
    load_model(path)
    path.write_text(path.read_text().replace("Tau=\n\t2", "Tau=\n\t4"))
    _forbid_parsing(monkeypatch)
    with pytest.raises(AssertionError, match="parsed again"):
        load_model(path)


def test_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("RENAISSANCE_CACHE_DIR", "")
    path = write_model(tmp_path, {"Stock": "INTEG(-Stock / Tau, 100)", "Tau": "2"})
    load_model(path)
    _forbid_parsing(monkeypatch)
    with pytest.raises(AssertionError, match="parsed again"):
        load_model(path)
