"""Warnings that keep sensitivity indices honest about their sample size.

With a small sample, Sobol' and Morris estimates are noisy: a first-order index can come
out above 1 (a share of variance cannot), and an index can be smaller than its own
confidence half-width, that is, not distinguishable from zero. :func:`index_warnings`
names both; :func:`indistinguishable` marks the indices the tables should flag.
"""

from __future__ import annotations

import numpy as np

PAIRS = (("S1", "S1_conf"), ("ST", "ST_conf"), ("mu_star", "mu_star_conf"))
"""Index and its 95% confidence half-width, as SALib names them."""


def indistinguishable(value: float, half_width: float) -> bool:
    """True when ``|value|`` is not larger than its confidence half-width (or is NaN)."""
    if not np.isfinite(value):
        return True
    return bool(np.isfinite(half_width) and abs(value) <= half_width)


def index_warnings(indices, samples: int | None = None, method: str | None = None) -> list[str]:
    """Sentences about indices the sample is too small for.

    Parameters
    ----------
    indices : xarray.Dataset
        Dims ``output`` and ``parameter``; variables such as ``S1``/``S1_conf``.
    samples : int or None
        The base sample size N (named in the messages).
    method : str or None
        The method (named in the messages).

    Returns
    -------
    list of str
        One sentence per output with a problem: first-order or total indices above 1,
        and how many indices are inside their confidence interval around zero.
    """
    size = "" if samples is None else f" at N = {samples:,}"
    label = method or "the method"
    found = []
    for output in indices["output"].values:
        chosen = indices.sel(output=output)
        for name in ("S1", "ST"):
            if name in chosen:
                values = chosen[name].values
                above = [
                    str(p)
                    for p, v in zip(chosen["parameter"].values, values, strict=True)
                    if np.isfinite(v) and v > 1.0
                ]
                if above:
                    found.append(
                        f"{output}: {name} > 1 for {', '.join(above)}{size}: a share of "
                        f"variance cannot exceed 1, so the sample is too small for these "
                        f"indices ({label}); increase --samples"
                    )
        for name, conf in PAIRS:
            if name in chosen and conf in chosen:
                flags = [
                    indistinguishable(float(v), float(c))
                    for v, c in zip(chosen[name].values, chosen[conf].values, strict=True)
                ]
                if any(flags):
                    found.append(
                        f"{output}: {sum(flags)} of {len(flags)} {name} indices are not "
                        f"distinguishable from zero (inside their 95% confidence "
                        f"half-width){size}; marked ≈0 in the tables"
                    )
    return found
