"""Every SD test-suite case with a ``.mdl`` and a canonical output: match it, or be refused.

A case listed in ``UNSUPPORTED`` must be refused at load time with
:class:`UnsupportedFeatureError` whose message names the feature; every other case must
reproduce its canonical (Vensim) output within the tolerance PySD's own integration
suite uses for it (rtol = atol = 1e-5 unless ``engine_cases.TOLERANCES`` says otherwise).
"""

from __future__ import annotations

import warnings

import pytest
from engine_cases import (
    CASES_ROOT,
    DEFAULT_TOLERANCE,
    TOLERANCES,
    compare,
    copy_case,
    list_cases,
    load_canonical,
)

from renaissance.engine import UnsupportedFeatureError, load_model
from renaissance.engine.results import to_table

UNSUPPORTED = {
    "allocate_by_priority": "ALLOCATE BY PRIORITY",
    "control_vars": "INITIAL TIME depends on Time",
}
"""Case -> text the refusal message must contain (the unsupported feature)."""

CASES = list_cases()

pytestmark = pytest.mark.skipif(
    not CASES_ROOT.is_dir(), reason=f"SD test models not found at {CASES_ROOT}"
)


def test_case_table_is_complete():
    """Every unsupported entry is a real case, so the list cannot silently go stale."""
    assert set(UNSUPPORTED) <= {case for case, _ in CASES}
    assert len(CASES) >= 100


@pytest.mark.parametrize(("case", "model_file"), CASES, ids=[c for c, _ in CASES])
def test_case(case, model_file, tmp_path):
    folder = copy_case(case, tmp_path)
    if case in UNSUPPORTED:
        with pytest.raises(UnsupportedFeatureError, match=UNSUPPORTED[case]):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                load_model(folder / model_file)  # refused at load time, not at run time
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # PySD's parser warnings
        results = load_model(folder / model_file).run()
    tolerance = TOLERANCES.get(case, DEFAULT_TOLERANCE)
    problems = compare(to_table(results), load_canonical(folder), **tolerance)
    assert not problems, "\n".join(problems)
