"""Write small Vensim models for tests from a list of equations."""

from __future__ import annotations

from pathlib import Path

CONTROL = """
********************************************************
	.Control
********************************************************~
		Simulation Control Parameters
	|

FINAL TIME  = {final}
	~	Month
	~		|

INITIAL TIME  = {initial}
	~	Month
	~		|

SAVEPER  = {saveper}
	~	Month [0,?]
	~		|

TIME STEP  = {dt}
	~	Month [0,?]
	~		|

\\\\\\---/// Sketch information - do not modify anything except names
V300  Do not put anything below this section - it will be ignored
"""


def write_model(
    folder: Path,
    equations: dict[str, str],
    *,
    final: float = 10,
    initial: float = 0,
    dt: float = 0.25,
    saveper: float = 1,
    units: dict[str, str] | None = None,
    name: str = "model.mdl",
) -> Path:
    """Write ``{lhs: rhs}`` equations plus a control section to ``folder/name``."""
    units = units or {}
    lines = ["{UTF-8}"]
    for lhs, rhs in equations.items():
        if rhs.lstrip().startswith("("):  # a lookup definition
            lines.append(f"{lhs}{rhs}\n\t~\t{units.get(lhs, '')}\n\t~\t\t|\n")
        elif rhs.startswith(":"):  # a subscript range
            lines.append(f"{lhs}{rhs}\n\t~\t\n\t~\t\t|\n")
        else:
            lines.append(f"{lhs}=\n\t{rhs}\n\t~\t{units.get(lhs, '')}\n\t~\t\t|\n")
    text = "\n".join(lines) + CONTROL.format(final=final, initial=initial, saveper=saveper, dt=dt)
    path = Path(folder) / name
    path.write_text(text, encoding="utf-8")
    return path
