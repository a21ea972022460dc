"""Start-up cost of the per-role schemas: time and memory to build all nine.

    python bench/schemas.py

Prints the import time of the schema package, the time to build the nine
role schemas from the shipped policy, and the memory they hold (traced
allocations, and the process's resident size before and after).
"""

from __future__ import annotations

import resource
import statistics
import time
import tracemalloc


def rss_mb() -> float:
    # ru_maxrss is in KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    started = time.perf_counter()
    from propgraph.authz.policy import default_enforcer
    from propgraph.schema.build import build_role_schemas

    imported = time.perf_counter() - started
    rss_before = rss_mb()
    enforcer = default_enforcer()
    t0 = time.perf_counter()
    _, schemas = build_role_schemas(enforcer)
    first_build = time.perf_counter() - t0
    rss_after = rss_mb()
    # Memory of one more complete set, traced (tracing slows the build itself).
    tracemalloc.start()
    kept = build_role_schemas(enforcer)
    traced, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept

    rebuilds = []
    for _ in range(5):
        t0 = time.perf_counter()
        build_role_schemas(enforcer)
        rebuilds.append(time.perf_counter() - t0)

    print(f"roles: {len(schemas)} ({', '.join(schemas)})")
    print(f"import of the schema package: {imported * 1000:.0f} ms")
    print(
        f"first build of all role schemas: {first_build * 1000:.0f} ms "
        f"({first_build * 1000 / len(schemas):.0f} ms per role)"
    )
    print(f"rebuild of all role schemas, median of 5: {statistics.median(rebuilds) * 1000:.0f} ms")
    print(
        f"memory held by the nine schemas (traced): {traced / 2**20:.1f} MiB "
        f"({traced / 2**20 / len(schemas):.2f} MiB per role)"
    )
    print(f"peak resident size: {rss_before:.0f} MiB before the build, {rss_after:.0f} MiB after")


if __name__ == "__main__":
    main()
