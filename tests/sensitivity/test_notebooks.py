"""The notebooks in docs/notebooks run, top to bottom, on tiny sample sizes.

Each notebook's code cells are executed in order in a fresh namespace (no Jupyter
needed), with ``RENAISSANCE_NOTEBOOK_SIZE=tiny`` and matplotlib's Agg backend.
"""

import json
from pathlib import Path

import matplotlib
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "docs" / "notebooks"


def code_cells(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def test_the_three_notebooks_exist():
    assert {p.stem for p in NOTEBOOKS.glob("*.ipynb")} == {
        "quickstart",
        "sensitivity",
        "policy_robustness",
    }


@pytest.mark.parametrize("name", ["quickstart", "sensitivity", "policy_robustness"])
def test_notebook_has_the_keys_of_nbformat_4_5(name):
    document = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
    assert (document["nbformat"], document["nbformat_minor"]) == (4, 5)
    ids = [cell["id"] for cell in document["cells"]]
    assert len(set(ids)) == len(ids)
    for cell in document["cells"]:
        assert {"cell_type", "id", "metadata", "source"} <= set(cell)
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("name", ["quickstart", "sensitivity", "policy_robustness"])
def test_notebook_runs(name, monkeypatch):
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    monkeypatch.setenv("RENAISSANCE_NOTEBOOK_SIZE", "tiny")
    namespace: dict = {"__name__": f"notebook_{name}"}
    path = NOTEBOOKS / f"{name}.ipynb"
    try:
        for number, source in enumerate(code_cells(path), start=1):
            code = compile(source, f"{path.name}, code cell {number}", "exec")
            exec(code, namespace)  # the notebook is this repository's own file
    finally:
        plt.close("all")
    assert namespace["TINY"] is True
