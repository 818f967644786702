"""Macros are inlined per call site: each call has its own stocks, as in PySD."""

from __future__ import annotations

import warnings

import numpy as np
import pysd
from mdl_text import write_model

from renaissance.engine import load_model
from renaissance.engine.results import to_table

MACRO = """:MACRO: FIRST ORDER(input, tau)
FIRST ORDER = INTEG((input - FIRST ORDER) / tau, input)
	~	widget
	~	A first-order smooth written as a macro.
	|

:END OF MACRO:
"""


def test_each_call_has_its_own_stock(tmp_path):
    path = write_model(
        tmp_path,
        {
            "Target": "100 + STEP(50, 2)",
            "Fast": "FIRST ORDER(Target, 1)",
            "Slow": "FIRST ORDER(Target * 2, 4)",
        },
        final=12,
        dt=0.25,
    )
    path.write_text(path.read_text().replace("{UTF-8}", "{UTF-8}\n" + MACRO, 1))
    ours = to_table(load_model(path).run())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = pysd.read_vensim(str(path)).run()
    for column in ("Fast", "Slow", "Target"):
        np.testing.assert_allclose(ours[column], reference[column], rtol=1e-12)
    assert ours["Fast"].iloc[-1] != ours["Slow"].iloc[-1]
    assert not any("#" in column for column in ours.columns)  # macro internals hidden
