"""Engine test configuration: ``slow`` checks (full-horizon PySD runs) are opt-in.

Set ``RENAISSANCE_SLOW=1`` to run them; CI keeps the engine suite under a few minutes.
"""

import os
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    if os.environ.get("RENAISSANCE_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow check: set RENAISSANCE_SLOW=1 to run it")
    for item in items:
        if "slow" in item.keywords and HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(skip)
