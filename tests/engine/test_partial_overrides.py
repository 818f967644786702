"""Overriding some cells of a variable that changes in time keeps the other cells moving."""

import numpy as np

from renaissance.engine import load_model

MODEL = """
{UTF-8}
Item: a, b, c
	~
	~		|

Growth[Item] = 0.1, 0.2, 0.3
	~	1/Month
	~		|

Signal[Item] = EXP(Growth[Item] * Time)
	~	Dmnl
	~		|

Total = SUM(Signal[Item!])
	~	Dmnl
	~		|

Stock[Item] = INTEG(Signal[Item], 0)
	~	Dmnl
	~		|

INITIAL TIME = 0
	~	Month
	~		|

FINAL TIME = 5
	~	Month
	~		|

TIME STEP = 0.25
	~	Month
	~		|

SAVEPER = 1
	~	Month
	~		|
"""


def _model(tmp_path):
    path = tmp_path / "partial.mdl"
    path.write_text(MODEL.lstrip(), encoding="utf-8")
    return load_model(path)


def test_cells_not_overridden_keep_their_dynamics(tmp_path):
    model = _model(tmp_path)
    free = model.run()
    patched = model.run(params={"Signal": {"b": 1.5}})
    np.testing.assert_allclose(patched["Signal"].sel(Item="b").values, 1.5)
    for item in ("a", "c"):
        np.testing.assert_allclose(
            patched["Signal"].sel(Item=item).values,
            free["Signal"].sel(Item=item).values,
            rtol=1e-14,
        )
    expected_total = free["Total"] - free["Signal"].sel(Item="b") + 1.5
    np.testing.assert_allclose(patched["Total"].values, expected_total.values, rtol=1e-14)
    np.testing.assert_allclose(
        patched["Stock"].sel(Item="b").values, 1.5 * np.arange(6), rtol=1e-12
    )


def test_ensemble_cells_differ_per_member_and_others_move(tmp_path):
    model = _model(tmp_path)
    free = model.run()
    runs = model.run_ensemble(params={"Signal": {"c": [1.0, 2.0]}})
    np.testing.assert_allclose(runs["Signal"].sel(Item="c").values, [[1.0, 2.0]] * 6)
    for member in range(2):
        np.testing.assert_allclose(
            runs["Signal"].sel(Item="a").isel(member=member).values,
            free["Signal"].sel(Item="a").values,
            rtol=1e-14,
        )
