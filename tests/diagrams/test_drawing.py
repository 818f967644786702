"""Diagrams render for this project's model and for SD test models; the CLI checks its input."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest
from diagram_models import MODEL_FOLDER, SAMPLES, SD_TEST_MODELS, all_test_models, copy_sample

from renaissance.cli import main
from renaissance.diagrams import draw_diagrams

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _check_images(paths):
    svgs = [p for p in paths if p.suffix == ".svg"]
    pngs = [p for p in paths if p.suffix == ".png"]
    assert svgs and len(svgs) == len(pngs)
    for svg in svgs:
        root = ElementTree.parse(svg).getroot()
        assert root.tag.endswith("svg")
        assert len(list(root.iter())) > 5
    for png in pngs:
        data = png.read_bytes()
        assert data[:8] == PNG_SIGNATURE and len(data) > 2000


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_diagrams_render_for_sd_test_models(tmp_path, name):
    model = copy_sample(name, tmp_path / "in")
    written = draw_diagrams(model, tmp_path / "out")
    _check_images(written)
    assert (tmp_path / "out" / "loops" / "links.csv").is_file()


def test_one_sector_of_this_model(tmp_path):
    written = draw_diagrams(MODEL_FOLDER / "renaissance.mdl", tmp_path, kind="stock-flow",
                            sector="District firm demography")  # fmt: skip
    assert sorted(p.name for p in written) == [
        "district-firm-demography.dot", "district-firm-demography.png",
        "district-firm-demography.svg",
    ]  # fmt: skip
    svg = (tmp_path / "stock-flow" / "district-firm-demography.svg").read_text()
    for name in ("Small Firms", "Medium Large", "Multinational"):
        assert name in svg


def test_loop_diagrams_of_this_model(tmp_path):
    written = draw_diagrams(MODEL_FOLDER / "renaissance.mdl", tmp_path, kind="loops")
    _check_images(written)
    names = {p.name for p in written}
    assert {"all.svg", "r10.svg", "b5.svg", "loops.csv", "links.csv"} <= names
    table = (tmp_path / "loops" / "loops.csv").read_text(encoding="utf-8")
    assert "R10,capital deepening,True,R,True" in table


def test_cli_draws_into_the_folder(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["diagram", str(MODEL_FOLDER / "renaissance.mdl"), "--kind", "stock-flow",
                 "--sector", "entrepreneurial confidence", "-o", str(out)]) == 0  # fmt: skip
    assert (out / "stock-flow" / "entrepreneurial-confidence.png").is_file()
    assert "entrepreneurial-confidence.svg" in capsys.readouterr().out


def test_cli_refuses_an_unknown_sector_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    status = main(["diagram", str(MODEL_FOLDER / "renaissance.mdl"), "--sector", "Firms",
                   "-o", str(out)])  # fmt: skip
    assert status == 2
    error = capsys.readouterr().err
    assert "renaissance.mdl" in error and "'Firms' is not a sector" in error
    assert "Traceback" not in error
    assert not out.exists()


def test_cli_refuses_a_missing_model(tmp_path, capsys):
    status = main(["diagram", str(tmp_path / "none.mdl"), "-o", str(tmp_path / "out")])
    assert status == 2
    assert "none.mdl" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("case", all_test_models())
def test_diagrams_render_for_every_sd_test_model_the_engine_loads(tmp_path, case):
    import shutil
    import warnings

    from renaissance.engine import load_model
    from renaissance.engine.errors import ModelFileError, UnsupportedFeatureError

    folder = tmp_path / "in"
    shutil.copytree(SD_TEST_MODELS / "tests" / case.split("/")[0], folder)
    model = folder / case.split("/")[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            load_model(model)
        except (UnsupportedFeatureError, FileNotFoundError, ModelFileError) as refused:
            # refused features, and get_constants, whose spreadsheet is not in the suite
            pytest.skip(f"the engine does not load it: {refused}")
        _check_images(draw_diagrams(model, tmp_path / "out"))
