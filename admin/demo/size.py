"""How much the demo makes. Denser months are quicker to release and hide less: 10,000 a
month are released in seconds, 2,000 in a minute or more each, most of the map hidden
(docs/benchmarks.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoSize:
    months: int = 6  # whole months, up to the last one
    responses: int = 60_000  # completed, in all
    seed: int = 1  # the same seed, the same figures
