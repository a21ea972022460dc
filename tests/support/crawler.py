"""Walk a role's own schema from its root fields and ``me``, collecting every node.

The crawler knows nothing of our types: it reads the caller's schema by
introspection and follows every field that leads to a node, a list of
nodes or a connection, batching each wave of new nodes into one
``nodes(ids:)`` request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.support.app import GraphQLClient

INTROSPECTION = """
{ __schema {
    queryType { name }
    types { name kind
      interfaces { name }
      fields { name args { name type { kind name ofType { kind name ofType { kind name } } } }
               type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
"""
PAGE = 500
SKIPPED_ROOTS = {"node", "nodes"}


def _named(type_ref: dict[str, Any]) -> tuple[str, bool]:
    """The named type under NON_NULL/LIST wrappers, and whether a list was passed."""
    is_list = False
    while type_ref.get("ofType"):
        if type_ref["kind"] == "LIST":
            is_list = True
        type_ref = type_ref["ofType"]
    return type_ref["name"], is_list


def _required_args(field: dict[str, Any]) -> bool:
    return any(arg["type"]["kind"] == "NON_NULL" for arg in field["args"])


@dataclass
class SchemaMap:
    node_types: set[str]
    connections: dict[str, str]  # connection type → node type
    fields: dict[str, list[dict[str, Any]]]

    @classmethod
    def from_introspection(cls, schema: dict[str, Any]) -> SchemaMap:
        types = {t["name"]: t for t in schema["types"]}
        node_types = {
            t["name"]
            for t in types.values()
            if t["kind"] == "OBJECT" and any(i["name"] == "Node" for i in t["interfaces"] or [])
        }
        node_types.add("Node")
        connections = {}
        for t in types.values():
            names = {f["name"]: f for f in t["fields"] or []} if t["kind"] == "OBJECT" else {}
            if "edges" in names and "pageInfo" in names:
                edge_type, _ = _named(names["edges"]["type"])
                edge_fields = {f["name"]: f for f in types[edge_type]["fields"]}
                connections[t["name"]] = _named(edge_fields["node"]["type"])[0]
        fields = {t["name"]: t["fields"] or [] for t in types.values() if t["kind"] == "OBJECT"}
        return cls(node_types, connections, fields)

    def link_selection(self, field: dict[str, Any], owner: str = "") -> str | None:
        """The selection that fetches the node ids a field leads to, if it leads to nodes.

        Aliased by the owning type, since fragments on different types may
        share a field name with different types (``units``).
        """
        if _required_args(field):
            return None
        target, _ = _named(field["type"])
        args = {a["name"] for a in field["args"]}
        name = f"{owner}_{field['name']}: {field['name']}" if owner else field["name"]
        if target in self.connections and self.connections[target] in self.node_types:
            page = f"(first: {PAGE})" if "first" in args else ""
            return f"{name}{page} {{ pageInfo {{ hasNextPage }} edges {{ node {{ id __typename }} }} }}"
        if target in self.node_types:
            return f"{name} {{ id __typename }}"
        return None


def _collect(value: Any, found: set[tuple[str, str]], truncated: list[str]) -> None:
    """Every {id, __typename} object in a response, and any truncated connection."""
    if isinstance(value, dict):
        if "id" in value and "__typename" in value:
            found.add((value["id"], value["__typename"]))
        page_info = value.get("pageInfo")
        if isinstance(page_info, dict) and page_info.get("hasNextPage"):
            truncated.append(str(value)[:80])
        for item in value.values():
            _collect(item, found, truncated)
    elif isinstance(value, list):
        for item in value:
            _collect(item, found, truncated)


async def crawl(client: GraphQLClient, only: set[str] | None = None) -> set[str]:
    """Global ids of every node reachable from the root fields and ``me``.

    ``only``: follow links only out of nodes of these types (still recording
    every node reached).
    """
    schema = SchemaMap.from_introspection((await client.data(INTROSPECTION))["__schema"])
    found: set[tuple[str, str]] = set()
    truncated: list[str] = []

    roots = [
        selection
        for field in schema.fields["Query"]
        if field["name"] not in SKIPPED_ROOTS and (selection := schema.link_selection(field))
    ]
    me_links = [s for f in schema.fields.get("Viewer", []) if (s := schema.link_selection(f))]
    # One request per root field: together they may pass a person's cost limit.
    queries = ["{ " + root + " }" for root in roots]
    if me_links:
        queries.append("{ me { " + " ".join(me_links) + " } }")
    for query in queries:
        _collect(await client.data(query), found, truncated)

    fragments = {
        type_name: [
            s for f in schema.fields[type_name] if (s := schema.link_selection(f, type_name))
        ]
        for type_name in schema.node_types
        if type_name in schema.fields and (only is None or type_name in only)
    }
    visited: set[str] = set()
    while True:
        wave = [
            gid
            for gid, type_name in found
            if gid not in visited and (only is None or type_name in only)
        ]
        if not wave:
            break
        visited.update(wave)
        for spreads in _spread_groups(fragments):
            await _fetch_wave(client, wave, spreads, found, truncated)
    assert not truncated, f"connections longer than {PAGE}: {truncated[:3]}"
    return {gid for gid, type_name in found if only is None or type_name in only}


ALIASES_PER_REQUEST = 12  # below a person's alias limit (authz/limits.py)


def _spread_groups(fragments: dict[str, list[str]]) -> list[str]:
    """The type fragments, split so no request holds more than ALIASES_PER_REQUEST links."""
    groups: list[list[str]] = [[]]
    size = 0
    for type_name, links in fragments.items():
        for start in range(0, len(links), ALIASES_PER_REQUEST):
            part = links[start : start + ALIASES_PER_REQUEST]
            if size + len(part) > ALIASES_PER_REQUEST:
                groups.append([])
                size = 0
            groups[-1].append(f"... on {type_name} {{ {' '.join(part)} }}")
            size += len(part)
    return [" ".join(group) for group in groups]


async def _fetch_wave(
    client: GraphQLClient,
    wave: list[str],
    spreads: str,
    found: set[tuple[str, str]],
    truncated: list[str],
) -> None:
    query = f"query($ids: [ID!]!) {{ nodes(ids: $ids) {{ id __typename {spreads} }} }}"
    size, start = 1000, 0
    while start < len(wave):
        ids = wave[start : start + size]
        body = await client.execute(query, {"ids": ids})
        refusal = (body.get("errors") or [{}])[0].get("extensions", {})
        if refusal.get("code") == "QUERY_TOO_COMPLEX" and len(ids) > 1:
            # a batch within the role's cost limit (authz/limits.py), as a client would
            per_id = refusal["actual"] / len(ids)
            size = max(1, min(len(ids) - 1, int(refusal["maximum"] // per_id)))
            continue
        assert not body.get("errors"), body["errors"]
        _collect(body["data"], found, truncated)
        start += len(ids)
