"""Regenerate models/parameters.csv from models/renaissance.mdl."""

from renaissance.parameters import parameter_table
from renaissance.paths import MODEL_DIRECTORY, MODEL_FILE

if __name__ == "__main__":
    table = parameter_table(MODEL_FILE)
    table.to_csv(MODEL_DIRECTORY / "parameters.csv", index=False, float_format="%.10g")
    print(f"wrote {len(table)} parameters to {MODEL_DIRECTORY / 'parameters.csv'}")
