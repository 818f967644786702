"""The generated Vensim sketch agrees with the equations (run on a copy of the model)."""

from __future__ import annotations

import importlib.util
from collections import Counter

import pytest
from diagram_models import REPO_ROOT, copy_sample
from pysd.translators.vensim.vensim_file import VensimFile

from renaissance.diagrams import read_structure
from renaissance.diagrams.sketch import SKETCH_MARKER, view_name, write_sketch
from renaissance.diagrams.sketch_reader import read_sketch


def _tool():
    tool = REPO_ROOT / "tools" / "write_sketch.py"
    spec = importlib.util.spec_from_file_location("write_sketch", tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sketched(model_copy):
    """The copy with its sketch written by the tool, once for the tests of this module."""
    before = model_copy.read_bytes()
    assert _tool().main([str(model_copy)]) == 0
    return model_copy, before


def test_the_tool_changes_only_the_sketch(sketched):
    path, before = sketched
    after = path.read_bytes()
    equations = before.split(SKETCH_MARKER.encode(), 1)[0]
    assert after.split(SKETCH_MARKER.encode(), 1)[0] == equations
    assert after.rstrip().endswith(before.rstrip().rsplit(b"///---\\\\\\", 1)[1].strip())


def test_every_variable_is_placed_once_in_the_view_of_its_sector(sketched):
    path, _ = sketched
    structure = read_structure(path)
    views = read_sketch(path)
    # PySD lower-cases view names
    assert [v.name for v in views] == [view_name(s).lower() for s in structure.sectors]
    placed = Counter(key for view in views for key in view.placed)
    assert placed == Counter(set(structure.variables))
    for view, sector in zip(views, structure.sectors, strict=True):
        assert set(view.placed) == set(structure.sector_variables(sector))
        assert not set(view.shadows) & set(view.placed)


def test_every_arrow_is_a_dependency_and_every_dependency_is_drawn(sketched):
    path, _ = sketched
    structure = read_structure(path)
    links = {(link.source, link.target) for link in structure.links}
    ends = structure.flow_ends()
    arrows = set()
    for view in read_sketch(path):
        for arrow in view.arrows:
            assert arrow in links, arrow
        arrows |= set(view.arrows)
        for flow, end in view.pipes:
            assert end == "cloud" or end in ends[flow], (flow, end)
    piped = {(f, e) for f, pair in ends.items() for e in pair if e}
    assert links - piped == arrows


def test_pysd_reads_the_sketch_as_one_view_per_sector(sketched):
    path, _ = sketched
    vensim = VensimFile(path)
    vensim.parse()
    vensim.parse_sketch([])
    structure = read_structure(path)
    views = vensim.sections[0].views_dict
    assert len(views) == len(structure.sectors)
    assert set().union(*views.values()) == set(structure.variables)


def test_a_file_without_settings_gets_them_and_stays_parseable(tmp_path):
    path = copy_sample("teacup", tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.split(SKETCH_MARKER, 1)[0], encoding="utf-8")  # no sketch at all
    write_sketch(path)
    views = read_sketch(path)
    assert len(views) == 1 and sorted(views[0].placed) == sorted(read_structure(path).variables)
    assert ("characteristic_time", "heat_loss_to_room") in views[0].arrows
    assert ":L<%^E!@" in path.read_text(encoding="utf-8")


def test_the_tool_refuses_a_file_that_is_not_a_model(tmp_path, capsys):
    assert _tool().main([str(tmp_path / "none.mdl")]) == 2
    assert "none.mdl" in capsys.readouterr().err


def test_each_view_can_be_drawn_from_the_sketch_read_back(sketched, tmp_path):
    from renaissance.diagrams.sketch_picture import draw_view

    path, _ = sketched
    views = read_sketch(path)
    for view in views:
        assert all((c[0], c[1]) in view.bends for c in view.connections)
    picture = tmp_path / "view.png"
    draw_view(views[8], picture)
    assert picture.read_bytes()[:4] == b"\x89PNG" and picture.stat().st_size > 10_000
