"""Named loops threaded through the variables whose comments name them; found loops."""

from __future__ import annotations

from diagram_models import copy_sample

from renaissance.diagrams import link_polarities, model_loops, read_structure
from renaissance.diagrams.loops import chain_polarity, loop_names, loop_tags


def test_named_loops_close_with_the_polarity_their_name_says(structure, polarity):
    loops = model_loops(structure, polarity)
    found = {loop.identifier for loop in loops}
    assert {"R1", "R8", "R10", "R11", "B1", "B2", "B5"} <= found
    for loop in loops:
        assert loop.agrees, (loop.identifier, loop.polarity)
        assert chain_polarity(loop.variables, polarity) == loop.polarity
        for source, target in loop.links():
            assert (source, target) in polarity
    assert "R5" not in found  # an open chain in the equations (docs/model.md §4)


def test_capital_deepening_passes_capital_per_worker(structure, polarity):
    r10 = next(loop for loop in model_loops(structure, polarity) if loop.identifier == "R10")
    assert {"capital_per_worker", "composite_capital_index",
            "district_manufacturing_employment"} <= set(r10.variables)  # fmt: skip


def test_loop_names_and_tags_are_read_from_the_comments(structure):
    names = loop_names(structure)
    assert names["R1"].startswith("Marshallian external economies")
    assert names["B5"] == "shake-out"
    assert "entrepreneurial_confidence" in loop_tags(structure)["R6"]


def test_a_model_without_named_loops_gets_its_loops_by_polarity(tmp_path):
    structure = read_structure(copy_sample("teacup", tmp_path))
    loops = model_loops(structure, link_polarities(structure))
    assert [(loop.identifier, set(loop.variables)) for loop in loops] == [
        ("B1", {"teacup_temperature", "heat_loss_to_room"})
    ]


def test_predator_prey_has_its_balancing_loop(tmp_path):
    structure = read_structure(copy_sample("Lotka_Volterra", tmp_path))
    loops = model_loops(structure, link_polarities(structure))
    assert any(loop.polarity == "B" and len(loop.variables) >= 4 for loop in loops)
