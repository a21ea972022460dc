"""The five benchmark requests: each a GraphQL document, the account that runs
it, and one hand-written PostgreSQL statement returning the same JSON.

Every SQL statement checks the account's scope once, at the root of its
subtree (``street_id = $1`` …), and joins down from there; statistics come
from the ``node_stats`` rollups exactly where the gateway reads them (viewers
who see a node's whole subtree, which is every case here). Ids come back as
``"Type:pk"``; ``bench/normalise.py`` decodes the gateway's base64 global ids
to the same form before the answers are compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Whole-subtree figures of one node, as the gateway's Stats type ($level, alias s).
_STATS = (
    "json_build_object('projects', s.projects, 'buildings', s.buildings, 'units', s.units, "
    "'floorArea', round(s.floor_area / 100.0, 2), 'owners', s.owners)"
)


def _stats(level: str, node: str, fields: str = _STATS) -> str:
    return f"(SELECT {fields} FROM node_stats s WHERE s.level = '{level}' AND s.node_id = {node})"


STREET_DASHBOARD_GQL = """
query StreetDashboard {
  communities(first: 50) {
    totalCount
    edges { node {
      id name
      stats { projects buildings units floorArea owners }
      projects(first: 50) {
        totalCount
        edges { node { id name kind stats { buildings units floorArea owners } } }
      }
    } }
  }
}"""

STREET_DASHBOARD_SQL = f"""
SELECT json_build_object('communities', json_build_object(
  'totalCount', (SELECT count(*) FROM communities WHERE street_id = $1),
  'edges', coalesce((
    SELECT json_agg(json_build_object('node', json_build_object(
      'id', 'Community:' || c.id, 'name', c.name,
      'stats', {_stats("community", "c.id")},
      'projects', json_build_object(
        'totalCount', (SELECT count(*) FROM projects WHERE community_id = c.id),
        'edges', coalesce((
          SELECT json_agg(json_build_object('node', json_build_object(
            'id', 'Project:' || p.id, 'name', p.name, 'kind', p.kind,
            'stats', {_stats("project", "p.id", "json_build_object('buildings', s.buildings, 'units', s.units, 'floorArea', round(s.floor_area / 100.0, 2), 'owners', s.owners)")}
          )) ORDER BY p.id)
          FROM (SELECT id, name, kind FROM projects WHERE community_id = c.id ORDER BY id LIMIT 50) p
        ), '[]'::json)
      )
    )) ORDER BY c.id)
    FROM (SELECT id, name FROM communities WHERE street_id = $1 ORDER BY id LIMIT 50) c
  ), '[]'::json)
))"""

DISTRICT_DASHBOARD_GQL = """
query DistrictDashboard {
  streets(first: 50) {
    totalCount
    edges { node {
      id name
      stats { projects buildings units floorArea owners }
      communities(first: 50) {
        totalCount
        edges { node { id name stats { projects buildings units owners } } }
      }
    } }
  }
}"""

DISTRICT_DASHBOARD_SQL = f"""
SELECT json_build_object('streets', json_build_object(
  'totalCount', (SELECT count(*) FROM streets WHERE district_id = $1),
  'edges', coalesce((
    SELECT json_agg(json_build_object('node', json_build_object(
      'id', 'Street:' || t.id, 'name', t.name,
      'stats', {_stats("street", "t.id")},
      'communities', json_build_object(
        'totalCount', (SELECT count(*) FROM communities WHERE street_id = t.id),
        'edges', coalesce((
          SELECT json_agg(json_build_object('node', json_build_object(
            'id', 'Community:' || c.id, 'name', c.name,
            'stats', {_stats("community", "c.id", "json_build_object('projects', s.projects, 'buildings', s.buildings, 'units', s.units, 'owners', s.owners)")}
          )) ORDER BY c.id)
          FROM (SELECT id, name FROM communities WHERE street_id = t.id ORDER BY id LIMIT 50) c
        ), '[]'::json)
      )
    )) ORDER BY t.id)
    FROM (SELECT id, name FROM streets WHERE district_id = $1 ORDER BY id LIMIT 50) t
  ), '[]'::json)
))"""

UNIT_PAGE_GQL = """
query UnitPage($id: ID!) {
  node(id: $id) {
    ... on Unit {
      id number floorArea
      building {
        id name
        project { id name kind region { districtName streetName communityName } }
      }
      owners { id name phone verification }
    }
  }
}"""

# $1 unit, $2 the owner viewing it: an owner sees units they own, and of a
# unit's owners only themselves.
UNIT_PAGE_SQL = """
SELECT json_build_object('node', (
  SELECT json_build_object(
    'id', 'Unit:' || u.id, 'number', u.number, 'floorArea', round(u.floor_area / 100.0, 2),
    'building', json_build_object(
      'id', 'Building:' || b.id, 'name', b.name,
      'project', json_build_object(
        'id', 'Project:' || p.id, 'name', p.name, 'kind', p.kind,
        'region', json_build_object(
          'districtName', d.name, 'streetName', t.name, 'communityName', c.name))),
    'owners', coalesce((
      SELECT json_agg(json_build_object(
        'id', 'Owner:' || o.id, 'name', o.name, 'phone', o.phone,
        'verification', o.verification) ORDER BY o.id)
      FROM unit_owners uo JOIN owners o ON o.id = uo.owner_id
      WHERE uo.unit_id = u.id AND uo.owner_id = $2
    ), '[]'::json))
  FROM unit_owners mine
  JOIN units u ON u.id = mine.unit_id
  JOIN buildings b ON b.id = u.building_id
  JOIN projects p ON p.id = u.project_id
  JOIN communities c ON c.id = p.community_id
  JOIN streets t ON t.id = p.street_id
  JOIN districts d ON d.id = p.district_id
  WHERE mine.unit_id = $1 AND mine.owner_id = $2
))"""

TODO_LIST_GQL = """
query TodoList {
  todos(status: PENDING, first: 20) {
    totalCount
    edges { node {
      id kind title status createdAt
      subject {
        ... on SubsidyApplication {
          id status projectName area version
          project { id name region { streetName communityName } }
        }
      }
    } }
  }
}"""

# $1 the community: pending to-dos addressed to its office, newest first; the
# subject only if the office may see it (its community, once submitted).
TODO_LIST_SQL = """
SELECT json_build_object('todos', json_build_object(
  'totalCount', (SELECT count(*) FROM todos
                 WHERE status = 'PENDING' AND role = 'COMMUNITY' AND community_id = $1),
  'edges', coalesce((
    SELECT json_agg(json_build_object('node', json_build_object(
      'id', 'Todo:' || td.id, 'kind', td.kind, 'title', td.title, 'status', td.status,
      'createdAt', td.created_at,
      'subject', (
        SELECT json_build_object(
          'id', 'SubsidyApplication:' || a.id, 'status', a.status, 'projectName', p.name,
          'area', round(a.area / 100.0, 2), 'version', a.version,
          'project', json_build_object('id', 'Project:' || p.id, 'name', p.name,
            'region', json_build_object('streetName', t.name, 'communityName', c.name)))
        FROM subsidy_applications a
        JOIN projects p ON p.id = a.project_id
        JOIN communities c ON c.id = p.community_id
        JOIN streets t ON t.id = p.street_id
        WHERE td.subject_type = 'SubsidyApplication' AND a.id = td.subject_id
          AND a.community_id = $1 AND a.status <> 'DRAFT')
    )) ORDER BY td.id DESC)
    FROM (SELECT * FROM todos
          WHERE status = 'PENDING' AND role = 'COMMUNITY' AND community_id = $1
          ORDER BY id DESC LIMIT 20) td
  ), '[]'::json)
))"""

CITY_OVERVIEW_GQL = """
query CityOverview {
  districts(first: 50) {
    totalCount
    edges { node {
      id name
      stats { projects buildings units floorArea owners }
      subsidyFigures {
        total { applications enterprises projects area amount }
        byStatus { status applications enterprises projects area amount }
      }
    } }
  }
}"""

_STATUS_ORDER = (
    "ARRAY['DRAFT','SUBMITTED','COMMUNITY_APPROVED','STREET_APPROVED',"
    "'DISTRICT_APPROVED','REPORTED','PAID','RETURNED']"
)
_FIGURES = (
    "'applications', count(*), 'enterprises', count(DISTINCT a.enterprise_id), "
    "'projects', count(DISTINCT a.project_id), "
    "'area', coalesce(round(sum(a.area) / 100.0, 2), 0), "
    "'amount', coalesce(round(sum(a.amount) / 100.0, 2), 0)"
)

# The city sees every application once submitted (not drafts).
CITY_OVERVIEW_SQL = f"""
SELECT json_build_object('districts', json_build_object(
  'totalCount', (SELECT count(*) FROM districts),
  'edges', coalesce((
    SELECT json_agg(json_build_object('node', json_build_object(
      'id', 'District:' || d.id, 'name', d.name,
      'stats', {_stats("district", "d.id")},
      'subsidyFigures', json_build_object(
        'total', (SELECT json_build_object({_FIGURES})
                  FROM subsidy_applications a
                  WHERE a.district_id = d.id AND a.status <> 'DRAFT'),
        'byStatus', coalesce((
          SELECT json_agg(f.figures ORDER BY array_position({_STATUS_ORDER}, f.status::text))
          FROM (SELECT a.status, json_build_object('status', a.status, {_FIGURES}) AS figures
                FROM subsidy_applications a
                WHERE a.district_id = d.id AND a.status <> 'DRAFT'
                GROUP BY a.status) f
        ), '[]'::json))
    )) ORDER BY d.id)
    FROM (SELECT id, name FROM districts ORDER BY id LIMIT 50) d
  ), '[]'::json)
))"""

# How each case picks its account (the first of the role by id, or the one
# with the most work) and the parameters its SQL needs: one row of
# (username, $1, $2?).
ACCOUNT_SQL = {
    "street": """
        SELECT username, street_id FROM accounts
        WHERE role = 'STREET' AND NOT disabled ORDER BY id LIMIT 1""",
    "district": """
        SELECT username, district_id FROM accounts
        WHERE role = 'DISTRICT' AND NOT disabled ORDER BY id LIMIT 1""",
    "unit": """
        SELECT a.username, (SELECT min(unit_id) FROM unit_owners WHERE owner_id = a.owner_id),
               a.owner_id
        FROM accounts a WHERE a.role = 'OWNER' AND NOT a.disabled ORDER BY a.id LIMIT 1""",
    "todos": """
        SELECT a.username, a.community_id FROM accounts a
        WHERE a.role = 'COMMUNITY' AND NOT a.disabled
        ORDER BY (SELECT count(*) FROM todos t WHERE t.status = 'PENDING'
                  AND t.role = 'COMMUNITY' AND t.community_id = a.community_id) DESC, a.id
        LIMIT 1""",
    "city": """
        SELECT username FROM accounts WHERE role = 'CITY' AND NOT disabled ORDER BY id LIMIT 1""",
}


@dataclass(frozen=True)
class Case:
    key: str
    title: str
    role: str
    graphql: str
    sql: str
    # GraphQL variables from the SQL parameters ($1, $2 …).
    variables: Any = None

    def graphql_variables(self, params: tuple[Any, ...]) -> dict[str, Any]:
        return self.variables(params) if self.variables else {}


def _unit_variables(params: tuple[Any, ...]) -> dict[str, Any]:
    from propgraph.schema.relay import to_global_id

    return {"id": to_global_id("Unit", params[0])}


CASES = (
    Case(
        "street",
        "street dashboard: communities → projects with stats",
        "STREET",
        STREET_DASHBOARD_GQL,
        STREET_DASHBOARD_SQL,
    ),
    Case(
        "district",
        "district dashboard: streets → communities with counts",
        "DISTRICT",
        DISTRICT_DASHBOARD_GQL,
        DISTRICT_DASHBOARD_SQL,
    ),
    Case(
        "unit",
        "unit page: unit, building, project, region, owners",
        "OWNER",
        UNIT_PAGE_GQL,
        UNIT_PAGE_SQL,
        _unit_variables,
    ),
    Case(
        "todos",
        "to-do list: pending to-dos with application and project",
        "COMMUNITY",
        TODO_LIST_GQL,
        TODO_LIST_SQL,
    ),
    Case(
        "city",
        "city overview: districts with stats and subsidy figures",
        "CITY",
        CITY_OVERVIEW_GQL,
        CITY_OVERVIEW_SQL,
    ),
)
