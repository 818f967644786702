"""Subscript ranges of a model: their elements, subranges, mappings and numeric values.

Resolution of nested ranges, copies (``<->``) and ``GET DIRECT SUBSCRIPT`` files is
delegated to PySD's own ``SubscriptManager`` so that both engines agree on the element
lists; everything else (indices, positions, renames) is computed here.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from pysd.builders.python.subscripts import SubscriptManager

from renaissance.engine.errors import UnsupportedFeatureError
from renaissance.engine.names import normalize


class Subscripts:
    """The subscript ranges of one model section.

    Parameters
    ----------
    abstract_ranges : list of pysd AbstractSubscriptRange
        ``section.subscripts`` from the PySD abstract model.
    root : pathlib.Path
        Directory of the model file (``GET DIRECT SUBSCRIPT`` files are relative to it).
    """

    def __init__(self, abstract_ranges, root: Path):
        for sub in abstract_ranges:
            if (
                isinstance(sub.subscripts, list)
                and sub.mapping
                and len(sub.subscripts) > len(set(sub.subscripts))
            ):
                raise UnsupportedFeatureError(
                    f"subscript range {sub.name!r}: explicit element mappings are not supported"
                )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                self._manager = SubscriptManager(abstract_ranges, root)
            except Exception as error:  # a GET DIRECT SUBSCRIPT file missing or unreadable
                from renaissance.engine.errors import ModelFileError

                message = " ".join(str(error).split()) or type(error).__name__
                raise ModelFileError(
                    root, "subscript ranges", f"cannot be read: {message}"
                ) from None
        self.ranges: dict[str, list[str]] = {
            name: list(elements) for name, elements in self._manager.subscripts.items()
        }
        self.mapping: dict[str, list[str]] = {
            name: list(m) for name, m in self._manager.mapping.items()
        }
        self.subranges: dict[str, list[str]] = {
            name: list(s) for name, s in self._manager.subranges.items()
        }
        self._by_normal = {normalize(name): name for name in self.ranges}
        self._elements = {}
        for name in self.ranges:
            for element in self.ranges[name]:
                self._elements.setdefault(normalize(element), element)

    def is_range(self, name: str) -> bool:
        return name in self.ranges

    def range_named(self, normal_name: str) -> str | None:
        """The range whose normalised name is ``normal_name``, if any."""
        return self._by_normal.get(normal_name)

    def element_named(self, normal_name: str) -> str | None:
        """The element whose normalised name is ``normal_name``, if any."""
        return self._elements.get(normal_name)

    def main_range(self, name: str) -> str:
        """The main range containing range ``name`` (itself if it is a main range)."""
        if name in self.subranges:
            return name
        for main, subs in self.subranges.items():
            if name in subs:
                return main
        for main in self.subranges:
            if set(self.ranges[name]) <= set(self.ranges[main]):
                return main
        return name

    def positions(self, name: str) -> np.ndarray:
        """1-based positions of the elements of range ``name`` in its main range."""
        main = self.ranges[self.main_range(name)]
        return np.array([main.index(e) + 1 for e in self.ranges[name]], dtype=float)

    def element_position(self, element: str) -> float:
        """1-based position of ``element`` in the first main range holding it."""
        for main in self.subranges:
            if element in self.ranges[main]:
                return float(self.ranges[main].index(element) + 1)
        for elements in self.ranges.values():
            if element in elements:
                return float(elements.index(element) + 1)
        raise KeyError(element)

    def coords_of(self, entry: str) -> tuple[str, list[str]]:
        """Dim name and element list of one LHS entry (a range or a single element)."""
        if entry in self.ranges:
            return entry, self.ranges[entry]
        for name, elements in self.ranges.items():
            if entry in elements:
                return name, [entry]
        raise UnsupportedFeatureError(f"unknown subscript {entry!r}")

    def merge_dims(self, lhs_lists: list[list[str]], element: str) -> list[str]:
        """Final dims of a variable defined by several components (PySD's rule)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dims = self._manager.make_merge_list(lhs_lists, element)
        for d in dims:
            if d not in self.ranges:  # PySD invented a range name
                self.ranges[d] = list(self._manager.subscripts[d])
                self.subranges.setdefault(d, [])
        return dims

    def related(self, name: str, other: str) -> bool:
        """Whether range ``name`` maps to (or is a copy of) range ``other``."""
        return other in self.mapping.get(name, []) or name in self.mapping.get(other, [])
