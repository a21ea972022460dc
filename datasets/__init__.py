"""Deterministic datasets for demos, tests and benchmarks (``propgraph seed``).

    summary = await seed(engine, "tiny", random_seed=20200220)

Scales: ``tiny`` (192 units, exact), ``small`` (20,400 units, the demo's),
``city`` (Shenzhen at full size: 3,000,000 units). See ``shape.SCALES``.
"""

from propgraph.datasets.seed import SCALES, DatabaseNotEmpty, SeedSummary, seed

__all__ = ["SCALES", "DatabaseNotEmpty", "SeedSummary", "seed"]
