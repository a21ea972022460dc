"""Queries shared by several tests."""


def _connection(field: str, selection: str) -> str:
    return f"{field} {{ totalCount edges {{ node {{ {selection} }} }} }}"


STATS = "stats { projects buildings units floorArea owners }"

# The dashboard drill-down of issue 3: districts → streets → communities →
# projects (with enterprise, region, stats) → buildings → units → owners.
DRILL_DOWN = (
    "{ "
    + _connection(
        "districts",
        f"id name {STATS} "
        + _connection(
            "streets",
            f"id name {STATS} "
            + _connection(
                "communities",
                f"id name {STATS} "
                + _connection(
                    "projects",
                    f"id name kind totalArea region {{ districtName streetName communityName }} "
                    f"enterprise {{ id name creditCode }} {STATS} "
                    + _connection(
                        "buildings",
                        "id name " + _connection("units", "id number floorArea owners { id name }"),
                    ),
                ),
            ),
        ),
    )
    + " }"
)
