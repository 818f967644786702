"""Fuzzer over small model files (issue 18).

Contract: ``renaissance simulate MODEL.mdl -o OUT.csv`` exits 0 with a complete table
(one row per save time), or exits 2 naming the model file and writing nothing; never
another status, a traceback, a hang past a bound or memory past a bound.
"""

from __future__ import annotations

import collections
import tempfile
from pathlib import Path

import numpy as np
from fuzzing import FUZZ, bounded, check_contract
from hostile_helpers import CONTROL, listing
from hypothesis import example, given, settings
from hypothesis import strategies as st

COUNTS: collections.Counter = collections.Counter()

NAMES = ["alpha", "beta", "stock", "Rate", "Time"]
NUMBERS = st.sampled_from(["0", "1", "2.5", "-3", "1e308", "1e-308", "0.0", "7"])
JUNK = st.sampled_from(
    [
        "(",
        ")",
        ",",
        "[",
        "]",
        "~",
        "|",
        '"',
        "'",
        "\\",
        "__import__('os')",
        ":=",
        "**",
        ";",
        "{",
        "}",
        "\x00",
        "é",
        "FOO BAR(1)",
        ":AND:",
        "@",
    ]
)
FUNCTIONS = st.sampled_from(
    ["MAX", "MIN", "ABS", "SQRT", "EXP", "LN", "STEP", "PULSE", "INTEGER", "FOO BAR", "XIDZ"]
)


def expressions():
    leaves = st.one_of(NUMBERS, st.sampled_from(NAMES))
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "^", ">", "="]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            st.tuples(FUNCTIONS, st.lists(inner, min_size=1, max_size=3)).map(
                lambda t: f"{t[0]}({', '.join(t[1])})"
            ),
            st.tuples(inner, inner, inner).map(lambda t: f"IF THEN ELSE({t[0]}, {t[1]}, {t[2]})"),
            st.tuples(inner, JUNK).map(lambda t: f"{t[0]} {t[1]}"),
        ),
        max_leaves=8,
    )


COMMENTS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(['""" if __import__("os").system("touch ran") else """', "a \\ b", "|", "~"]),
)
EQUATION = st.tuples(
    st.sampled_from(NAMES[:4]),
    st.one_of(
        expressions(), st.tuples(expressions(), NUMBERS).map(lambda t: f"INTEG({t[0]}, {t[1]})")
    ),
    COMMENTS,
)
CONTROLS = st.fixed_dictionaries(
    {
        "final": st.sampled_from(["10", "0", "-5", "1e9", "nan", "x"]),
        "initial": st.sampled_from(["0", "3", "1e9"]),
        "saveper": st.sampled_from(["1", "0.5", "0", "0.3"]),
        "dt": st.sampled_from(["1", "0.25", "0.0001", "1e-12", "0", "-1", "0.1"]),
    }
)


def _expected_rows(controls) -> int | None:
    try:
        final, initial = float(controls["final"]), float(controls["initial"])
        saveper = float(controls["saveper"])
    except ValueError:
        return None
    return int(np.floor((final - initial) / saveper + 1e-9)) + 1


@settings(FUZZ, max_examples=40)
@given(equations=st.lists(EQUATION, min_size=1, max_size=4), controls=CONTROLS)
@example(
    equations=[("alpha", "1", "a constant"), ("stock", "INTEG(alpha, 0)", "")],
    controls={"final": "10", "initial": "0", "saveper": "1", "dt": "0.25"},
)
@example(
    equations=[("alpha", "((" * 300 + "1" + "))" * 300, "")],
    controls={"final": "10", "initial": "0", "saveper": "1", "dt": "1"},
)
def test_fuzzed_model_files_keep_the_contract(cli, equations, controls):
    text = "".join(f"{name} = {rhs}\n~ Dmnl\n~ {comment}\n|\n" for name, rhs, comment in equations)
    text += CONTROL.format(**controls)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        model = folder / "m.mdl"
        model.write_text(text, encoding="utf-8")
        before = listing(folder)
        with bounded():
            outcome = cli("simulate", model, "-o", folder / "out.csv")
        assert not (folder / "ran").exists()
        output = folder / "out.csv"
        complete = output.is_file()
        if complete and outcome.status == 0:
            rows = output.read_text(encoding="utf-8").count("\n") - 1
            expected = _expected_rows(controls)
            complete = expected is None or rows == expected
        after = listing(folder) - {Path("m.py")}  # PySD's translation, if it was asked for
        COUNTS["model files", check_contract(outcome, "m.mdl", complete, before, after)] += 1


def test_zz_report_model_fuzz_counts(capsys):
    with capsys.disabled():
        for (fuzzer, outcome), count in sorted(COUNTS.items()):
            print(f"\nfuzz {fuzzer}: {outcome} {count}", end="")
