"""What each pipeline stage buys: the arms of `s2s1 ablate --stages`, as resumable units.

From a finished run's records (every teacher trace, with the decisions stored in `filtered/`
and `rejected/`) it builds these training sets, each trained with `seeds` training seeds:

- `pool`: every teacher trace, verified or not (the unverified pool);
- `filtered`: the traces every filter of the run kept (verified + the run's filters);
- `random~filtered`: per problem, as many traces of the pool as `filtered` has there, drawn at
  random (a new draw per seed; `ablate.matched_random`), so it has `filtered`'s size and
  problem mix and differs only in which traces were chosen;
- `verified`: the traces the `verified` filter kept, and `random~verified` drawn likewise;
- `answers`: the verified final answer alone, `\\boxed{…}`, one row per problem with a verified
  trace (export mode `direct`): the same problems' answers without the reasoning.

Plus `untrained`, the student before training (one unit, no seed). `stage_units` orders them so
the four arms that carry the claim come first, cheapest first: untrained; filtered and
random~filtered for each seed (small sets); pool for each seed (every trace: several times their
training time); then verified, random~verified and answers for each seed. A unit whose set and export
mode equal an earlier unit's of the same seed (a filter that dropped nothing) is marked
`same_as` that one and reuses its student. Running the units is `ablate_stages_run`; this module
does not train, evaluate or write files.

Example:
    >>> " ".join(u.name for u in stage_units([], seeds=1))
    'untrained filtered/s0 random~filtered/s0 pool/s0 verified/s0 random~verified/s0 answers/s0'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from s2s1.distill.ablate import Arm, matched_random
from s2s1.records import Record

__all__ = ["ARMS", "KEY_ARMS", "PAIRS", "Unit", "stage_units"]

KEY_ARMS = ("untrained", "pool", "filtered", "random~filtered")
"""The arms that carry the claim, run first."""
ARMS = (*KEY_ARMS, "verified", "random~verified", "answers")
PAIRS = (
    ("filtered", "untrained"),
    ("filtered", "pool"),
    ("filtered", "random~filtered"),
    ("pool", "untrained"),
    ("random~filtered", "untrained"),
    ("verified", "untrained"),
    ("verified", "pool"),
    ("verified", "random~verified"),
    ("filtered", "verified"),
    ("answers", "untrained"),
    ("filtered", "answers"),
)
"""The paired differences the report gives, (a, b) for a − b."""


@dataclass
class Unit:
    """One student to train (or, for `untrained`, only evaluate): an arm at one training seed."""

    arm: str
    seed: int | None
    records: list[Record] = field(default_factory=list)
    direct: bool = False
    """Export mode `direct` (the verified final answer alone) instead of the run's mode."""
    same_as: str | None = None
    """The earlier unit with exactly this training set and mode: its student is reused."""

    @property
    def name(self) -> str:
        return self.arm if self.seed is None else f"{self.arm}/s{self.seed}"


def stage_units(records: Sequence[Record], seeds: int) -> list[Unit]:
    """Every arm at every seed, in the order they run (see the module docstring)."""
    pool = list(records)
    filtered = [r for r in pool if r.kept]
    verified = [r for r in pool if "verified" not in r.decisions or r.decisions["verified"].keep]
    units = [Unit("untrained", None)]
    for seed in range(seeds):
        units += [
            Unit("filtered", seed, filtered),
            Unit("random~filtered", seed, matched_random(Arm("filtered", pool, filtered), seed)),
        ]
    units += [Unit("pool", seed, pool) for seed in range(seeds)]
    for seed in range(seeds):
        units += [
            Unit("verified", seed, verified),
            Unit("random~verified", seed, matched_random(Arm("verified", pool, verified), seed)),
            Unit("answers", seed, verified, direct=True),
        ]
    seen: dict[tuple[int | None, bool, frozenset[str]], str] = {}
    for u in units[1:]:
        key = (u.seed, u.direct, frozenset(r.key for r in u.records))
        if key in seen:
            u.same_as = seen[key]
        else:
            seen[key] = u.name
    return units
