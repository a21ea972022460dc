"""How big each dataset is: the scales and how counts are spread over parents."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Fanout:
    """Children per parent: exactly ``per_parent`` each, or ``total`` spread unevenly.

    Fixed fan-outs make the small scales' counts exact (tests check them);
    a total with ``spread`` makes the city look like a city, where some
    communities hold three estates and others twenty.
    """

    per_parent: int | None = None
    total: int | None = None
    spread: float = 0.6

    def __post_init__(self) -> None:
        if (self.per_parent is None) == (self.total is None):
            raise ValueError("give exactly one of per_parent and total")

    def expected(self, parents: int) -> int:
        return self.total if self.total is not None else parents * (self.per_parent or 0)

    def split(self, parents: int, rng: random.Random) -> list[int]:
        if self.per_parent is not None:
            return [self.per_parent] * parents
        assert self.total is not None
        return split_total(self.total, parents, rng, self.spread)


def split_total(total: int, parts: int, rng: random.Random, spread: float) -> list[int]:
    """``parts`` counts of at least one that add up to exactly ``total``.

    Each part gets a random weight in [1-spread, 1+spread]; the remainder
    left by rounding down goes to the largest fractional parts (ties by
    position), so the result depends on nothing but the rng.
    """
    if total < parts:
        raise ValueError(f"cannot split {total} into {parts} non-empty parts")
    weights = [1 + spread * (2 * rng.random() - 1) for _ in range(parts)]
    weight_sum = sum(weights)
    free = total - parts
    shares = [free * w / weight_sum for w in weights]
    counts = [1 + int(share) for share in shares]
    left = total - sum(counts)
    by_fraction = sorted(range(parts), key=lambda i: (-(shares[i] - int(shares[i])), i))
    for i in by_fraction[:left]:
        counts[i] += 1
    return counts


@dataclass(frozen=True)
class Scale:
    name: str
    districts: int
    # None: every real street office of each district.
    streets_per_district: int | None
    communities: Fanout  # per street
    projects: Fanout  # per community
    buildings: Fanout  # per project
    units: Fanout  # per building
    enterprises: int
    owner_accounts: int
    # (active, revoked, expired) delegations.
    delegations: tuple[int, int, int]
    # Units generated (and loaded) per batch; bounds memory at the city scale.
    chunk_units: int = 25_000
    # Subsidy applications walked through the real workflow (datasets/workflow.py);
    # tiny has none, so tests start from a clean workflow.
    subsidy_applications: int = 0
    # Owners' meetings, ballots, nominations and ratings (datasets/owners.py);
    # tiny has none either.
    owner_meetings: bool = False
    # Repair projects of each kind in each state (datasets/repairs.py); tiny has none.
    repair_projects: bool = False

    @property
    def delegation_count(self) -> int:
        return sum(self.delegations)


SCALES: dict[str, Scale] = {
    # Exact: 2 × 2 × 2 × 3 × 2 × 4 = 192 units (CONTRACT.md "Dataset scales").
    "tiny": Scale(
        name="tiny",
        districts=2,
        streets_per_district=2,
        communities=Fanout(per_parent=2),
        projects=Fanout(per_parent=3),
        buildings=Fanout(per_parent=2),
        units=Fanout(per_parent=4),
        enterprises=5,
        owner_accounts=6,
        delegations=(1, 1, 1),
    ),
    # 5 × 2 × 3 × 4 × 5 × 34 = 20,400 units: the demo's dataset.
    "small": Scale(
        name="small",
        districts=5,
        streets_per_district=2,
        communities=Fanout(per_parent=3),
        projects=Fanout(per_parent=4),
        buildings=Fanout(per_parent=5),
        units=Fanout(per_parent=34),
        enterprises=40,
        owner_accounts=50,
        delegations=(3, 1, 1),
        subsidy_applications=27,
        owner_meetings=True,
        repair_projects=True,
    ),
    # SPEC.md section 1: the benchmark city.
    "city": Scale(
        name="city",
        districts=10,
        streets_per_district=None,
        communities=Fanout(total=680, spread=0.5),
        projects=Fanout(total=8_000, spread=0.7),
        buildings=Fanout(total=80_000, spread=0.7),
        units=Fanout(total=3_000_000, spread=0.7),
        enterprises=12_000,
        owner_accounts=50,
        delegations=(3, 1, 1),
        chunk_units=50_000,
        subsidy_applications=27,
    ),
}
