"""Half-year evaluation through the API: windows, re-scoring, approval, yearly score."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.office import Office

SCORE = """mutation($input: ScoreProjectInput!) { scoreProject(input: $input) {
  evaluation { id status communityScore score version half year
               timeline { action from to comment toStatus } }
  errors { code field message } } }"""
APPROVE = """mutation($input: ApproveEvaluationInput!) { approveEvaluation(input: $input) {
  evaluation { id status communityScore score reviewComment version timeline { action from to } }
  errors { code field message } } }"""
YEAR = """query($id: ID!, $year: Int!) { node(id: $id) { ... on Project {
  evaluationScore(year: $year) { year h1 h2 annual } } } }"""
TODOS = "{ todos { edges { node { kind subject { id } } } } }"
LIST = """query($f: EvaluationFilter) { evaluations(filter: $f) { totalCount edges { node { id } } } }"""


def score_input(office: Office, score: float = 88.5, half: str = "H1", year: int = 2026) -> dict:
    return {"projectId": office.project_id, "year": year, "half": half, "score": score}


async def test_score_review_approve_and_the_year(office: Office) -> None:
    # given June: the community scores the project
    evaluation = (await office.ok("community:CLERK", SCORE, score_input(office)))["evaluation"]
    assert evaluation["status"] == "SCORED" and evaluation["score"] == 88.5
    assert evaluation["timeline"] == [
        {
            "action": "evaluation.score",
            "from": None,
            "to": "SCORED",
            "comment": "score 88.5",
            "toStatus": None,
        }
    ]
    # the street sees the review in its to-dos; the community may still re-score
    todos = (await office.data("street:CLERK", TODOS))["todos"]["edges"]
    assert [t["node"]["subject"]["id"] for t in todos] == [evaluation["id"]]
    evaluation = (await office.ok("community:HEAD", SCORE, score_input(office, 90)))["evaluation"]
    assert evaluation["version"] == 2 and evaluation["communityScore"] == 90
    # no final score yet in June
    year = await office.data("street:HEAD", YEAR, {"id": office.project_id, "year": 2026})
    assert year["node"]["evaluationScore"] == {"year": 2026, "h1": None, "h2": None, "annual": None}
    # the street clerk re-scores and approves
    approved = (
        await office.ok(
            "street:CLERK",
            APPROVE,
            {"id": evaluation["id"], "version": 2, "score": 85.5, "comment": "台账不全，扣分"},
        )
    )["evaluation"]
    assert approved["status"] == "APPROVED" and approved["score"] == 85.5
    assert approved["communityScore"] == 90 and approved["reviewComment"] == "台账不全，扣分"
    assert [e["to"] for e in approved["timeline"]] == ["SCORED", "SCORED", "APPROVED"]
    assert (await office.data("street:CLERK", TODOS))["todos"]["edges"] == []
    # H1 is final; H2 unscored: 100 once December's window closes, then the mean
    year = await office.data("district:HEAD", YEAR, {"id": office.project_id, "year": 2026})
    assert year["node"]["evaluationScore"]["h1"] == 85.5
    assert year["node"]["evaluationScore"]["annual"] is None
    office.clock.set_local(date(2026, 12, 31))
    year = await office.data("community:CLERK", YEAR, {"id": office.project_id, "year": 2026})
    assert year["node"]["evaluationScore"] == {
        "year": 2026,
        "h1": 85.5,
        "h2": 100.0,
        "annual": 92.75,
    }
    # and the list filters
    listed = await office.data("street:HEAD", LIST, {"f": {"year": 2026, "status": "APPROVED"}})
    assert listed["evaluations"]["totalCount"] == 1
    other = await office.data("other_street:HEAD", LIST, {"f": None})
    assert other["evaluations"]["totalCount"] == 0


async def test_a_half_never_approved_scores_100(office: Office) -> None:
    await office.ok("community:CLERK", SCORE, score_input(office, 60))
    office.clock.set_local(date(2026, 6, 30), hour=23)
    year = await office.data("street:HEAD", YEAR, {"id": office.project_id, "year": 2026})
    assert year["node"]["evaluationScore"]["h1"] is None  # the window is still open
    office.clock.set_local(date(2026, 7, 1), hour=0)
    year = await office.data("street:HEAD", YEAR, {"id": office.project_id, "year": 2026})
    assert year["node"]["evaluationScore"]["h1"] == 100.0


@pytest.mark.parametrize(
    ("day", "half", "inside"),
    [
        (date(2026, 5, 31), "H1", False),
        (date(2026, 6, 1), "H1", True),
        (date(2026, 6, 30), "H1", True),
        (date(2026, 7, 1), "H1", False),
        (date(2026, 11, 30), "H2", False),
        (date(2026, 12, 1), "H2", True),
        (date(2026, 12, 30), "H2", True),
        (date(2026, 12, 31), "H2", False),
        (date(2026, 6, 10), "H2", False),
    ],
)
async def test_scoring_window_boundaries(
    office: Office, day: date, half: str, inside: bool
) -> None:
    office.clock.set_local(day, hour=23 if inside else 0)
    input = score_input(office, 77, half)
    if inside:
        await office.ok("community:CLERK", SCORE, input)
    else:
        assert await office.refused("community:CLERK", SCORE, input) == "INVALID_STATE"


async def test_approval_outside_the_window_is_refused(office: Office) -> None:
    evaluation = (await office.ok("community:CLERK", SCORE, score_input(office)))["evaluation"]
    office.clock.set_local(date(2026, 7, 1))
    input = {"id": evaluation["id"], "version": 1, "comment": "迟到"}
    assert await office.refused("street:CLERK", APPROVE, input) == "INVALID_STATE"


async def test_a_year_out_of_range_is_refused(office: Office) -> None:
    input = {**score_input(office), "year": 100000}
    assert await office.refused("community:CLERK", SCORE, input) == "VALIDATION"
    body = await office.app.client(office.people["street:HEAD"]).execute(
        YEAR, {"id": office.project_id, "year": 0}
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("score", [-0.1, 100.1, 88.55, 1e20])
async def test_bad_scores_are_refused(office: Office, score: float) -> None:
    code = await office.refused("community:CLERK", SCORE, score_input(office, score))
    assert code == "VALIDATION"


async def test_refusals_by_role_position_state_and_version(office: Office) -> None:
    evaluation = (await office.ok("community:CLERK", SCORE, score_input(office)))["evaluation"]
    ok = {"id": evaluation["id"], "version": 1, "comment": "同意"}
    # the street head may not do the clerk's step
    assert await office.refused("street:HEAD", APPROVE, ok) == "FORBIDDEN"
    # a comment is required
    assert await office.refused("street:CLERK", APPROVE, {**ok, "comment": " "}) == "VALIDATION"
    # outside the scope: as if it did not exist
    assert await office.refused("other_street:CLERK", APPROVE, ok) == "NOT_FOUND"
    other = score_input(office)
    assert await office.refused("other_community:CLERK", SCORE, other) == "NOT_FOUND"
    # a stale version
    assert await office.refused("street:CLERK", APPROVE, {**ok, "version": 7}) == "CONFLICT"
    await office.ok("street:CLERK", APPROVE, ok)
    # approved: no second approval, no re-score
    assert await office.refused("street:CLERK", APPROVE, {**ok, "version": 2}) == "INVALID_STATE"
    assert await office.refused("community:CLERK", SCORE, other) == "INVALID_STATE"


async def test_racing_approvals_one_wins(office: Office) -> None:
    import asyncio

    evaluation = (await office.ok("community:CLERK", SCORE, score_input(office)))["evaluation"]
    input = {"input": {"id": evaluation["id"], "version": 1, "comment": "同意"}}
    clerk = office.app.client(office.people["street:CLERK"])
    results = await asyncio.gather(*(clerk.data(APPROVE, input) for _ in range(2)))
    codes = sorted(
        r["approveEvaluation"]["errors"][0]["code"] if r["approveEvaluation"]["errors"] else "OK"
        for r in results
    )
    assert codes in (["CONFLICT", "OK"], ["INVALID_STATE", "OK"])
