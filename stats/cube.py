"""The cube a period's figures are cut from: its cells and the sums that tie them."""

from __future__ import annotations

Path = tuple[str, ...]  # a place: () for Türkiye, ("TR5", "06", "1234") for a district
CellKey = tuple[str, Path, str]  # (period, place, service)
Equation = tuple[CellKey, list[CellKey]]  # a total and the cells that add up to it
