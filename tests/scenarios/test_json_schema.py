"""The exported JSON Schema is in sync with the loader's keys and with the committed file."""

import json

from renaissance.paths import SCENARIO_DIRECTORY
from renaissance.scenarios import json_schema
from renaissance.scenarios.inheritance import POLICY_KEYS, SHOCK_KEYS, TOP_KEYS


def test_schema_keys_are_the_loaders_keys():
    schema = json_schema()
    assert set(schema["properties"]) == set(TOP_KEYS)
    assert set(schema["properties"]["policies"]["items"]["properties"]) == set(POLICY_KEYS)
    assert set(schema["properties"]["shocks"]["items"]["properties"]) == set(SHOCK_KEYS)


def test_committed_schema_file_is_current():
    committed = json.loads((SCENARIO_DIRECTORY / "scenario.schema.json").read_text("utf-8"))
    assert committed == json_schema(), (
        "regenerate: renaissance schema > scenarios/scenario.schema.json"
    )
