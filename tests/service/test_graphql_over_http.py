"""GraphQL over HTTP: the graphql-response+json media type and its status codes (issue 9.5)."""

from __future__ import annotations

import pytest

from tests.support.app import RunningApp, token_for

MODERN = "application/graphql-response+json"
VALID = "{ projects(first: 1) { totalCount } }"
# (query, variables, expected code) of requests that fail before anything executes
REQUEST_FAILURES = [
    ("{ projects(first: 1) { totalCount }", None, "GRAPHQL_PARSE_FAILED"),
    ("{ noSuchField }", None, "GRAPHQL_VALIDATION_FAILED"),
    ("query($n: Int) { projects(first: $n) { totalCount } }", {"n": "many"}, "BAD_USER_INPUT"),
]


async def _post(app: RunningApp, body: object, accept: str | None) -> object:
    headers = {"authorization": f"Bearer {token_for('city_head')}"}
    if accept is not None:
        headers["accept"] = accept
    return await app.http.post("/graphql", json=body, headers=headers)


@pytest.mark.parametrize(("query", "variables", "code"), REQUEST_FAILURES)
async def test_request_failures_are_400_without_data_for_graphql_response_json(
    tiny: RunningApp, query: str, variables: dict | None, code: str
) -> None:
    response = await _post(tiny, {"query": query, "variables": variables}, MODERN)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(MODERN)
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == code


@pytest.mark.parametrize("accept", ["application/json", "*/*", None])
@pytest.mark.parametrize(("query", "variables", "code"), REQUEST_FAILURES)
async def test_old_clients_keep_200_and_application_json(
    tiny: RunningApp, accept: str | None, query: str, variables: dict | None, code: str
) -> None:
    response = await _post(tiny, {"query": query, "variables": variables}, accept)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == code


async def test_a_valid_query_answers_200_in_the_media_type_asked_for(tiny: RunningApp) -> None:
    modern = await _post(tiny, {"query": VALID}, f"{MODERN}, application/json;q=0.9")
    assert modern.status_code == 200 and modern.headers["content-type"].startswith(MODERN)
    assert modern.json()["data"]["projects"]["totalCount"] == 24
    preferred_json = await _post(tiny, {"query": VALID}, f"application/json, {MODERN};q=0.5")
    assert preferred_json.headers["content-type"].startswith("application/json")


async def test_a_field_error_still_answers_200_with_data(tiny: RunningApp) -> None:
    # a resolver's refusal is an execution error, not a request error
    response = await _post(tiny, {"query": "{ projects(first: -1) { totalCount } }"}, MODERN)
    assert response.status_code == 200
    body = response.json()
    assert "data" in body and body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_malformed_body_is_400_in_either_media_type(tiny: RunningApp) -> None:
    for accept in (MODERN, "application/json"):
        response = await tiny.http.post(
            "/graphql",
            content=b"{not json",
            headers={"content-type": "application/json", "accept": accept},
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_a_subscription_over_http_is_a_typed_400(tiny: RunningApp) -> None:
    # subscriptions are served over graphql-transport-ws only
    for accept in (MODERN, "application/json"):
        response = await _post(
            tiny, {"query": "subscription { todoChanged { todo { id } } }"}, accept
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
