"""Meeting documents (会议材料, CONTRACT ``Meeting.documents``): published by the opening
office until voting ends, read and downloaded by whoever sees the meeting."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from propgraph.models import Evidence
from tests.support.owners import Owners
from tests.support.subsidy import ERRORS, PDF

UPLOAD = f"""mutation($input: UploadMeetingDocumentInput!) {{ uploadMeetingDocument(input: $input) {{
  evidence {{ id kind filename size contentType url }} {ERRORS} }} }}"""
DOCUMENTS = """query($id: ID!) { node(id: $id) { ... on Meeting { id documents {
  id filename size url } } } }"""


async def upload(
    owners: Owners, username: str, meeting_id: str, content: bytes = PDF, name: str = "方案.pdf"
) -> dict[str, Any]:
    operations = {"query": UPLOAD, "variables": {"input": {"meetingId": meeting_id, "file": None}}}
    response = await owners.app.http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": (name, content, "application/pdf")},
        headers={"Authorization": f"Bearer {owners.app.client(username).token}"},
    )
    body = response.json()
    if body.get("errors"):
        return {"graphql_errors": body["errors"]}
    return body["data"]["uploadMeetingDocument"]  # type: ignore[no-any-return]


async def documents(owners: Owners) -> int:
    async with owners.app.services.engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(Evidence)) or 0)


async def test_the_opening_office_publishes_and_owners_read_and_download(owners: Owners) -> None:
    meeting = await owners.open_meeting()
    street = owners.cast.street[0]
    published = await upload(owners, street, meeting["id"])
    assert published["errors"] == []
    document = published["evidence"]
    assert document["filename"] == "方案.pdf" and document["size"] == len(PDF)
    assert document["kind"] == "OTHER" and document["contentType"] == "application/pdf"
    # whoever sees the meeting sees the document and downloads it: the owners of
    # the project, the manager, the offices above
    for username in (
        "owner_1",
        "owner_2",
        owners.cast.manager,
        owners.cast.community[0],
        street,
        owners.cast.district[0],
        owners.cast.city,
    ):
        node = await owners.node(username, DOCUMENTS, meeting["id"])
        assert [d["id"] for d in node["documents"]] == [document["id"]], username
        client = owners.app.client(username)
        got = await owners.app.http.get(
            document["url"], headers={"Authorization": f"Bearer {client.token}"}
        )
        assert got.status_code == 200 and got.content == PDF, username
    # and nobody else: an office of another street downloads nothing
    other = owners.app.client(owners.cast.other_street)
    refused = await owners.app.http.get(
        document["url"], headers={"Authorization": f"Bearer {other.token}"}
    )
    assert refused.status_code == 404
    # still in voting, later no more
    owners.to_voting(meeting)
    assert (await upload(owners, street, meeting["id"]))["errors"] == []
    owners.to_closed(meeting)
    closed = await upload(owners, street, meeting["id"])
    assert [e["code"] for e in closed["errors"]] == ["INVALID_STATE"]
    assert await documents(owners) == 2


async def test_only_the_opening_office_publishes_and_bad_files_write_nothing(
    owners: Owners,
) -> None:
    meeting = await owners.open_meeting()  # opened by the project's street office
    before = await documents(owners)
    # the community office of the same project did not open it
    forbidden = await upload(owners, owners.cast.community[0], meeting["id"])
    assert [e["code"] for e in forbidden["errors"]] == ["FORBIDDEN"]
    # another street's office does not see the meeting at all
    unseen = await upload(owners, owners.cast.other_street, meeting["id"])
    assert [e["code"] for e in unseen["errors"]] == ["NOT_FOUND"]
    # roles without the mutation do not even have it in their schema
    for username in ("owner_1", owners.cast.manager, owners.cast.enterprise):
        refused = await upload(owners, username, meeting["id"])
        assert "graphql_errors" in refused, username
    street = owners.cast.street[0]
    for content in (b"", b"MZ\x90\x00 not a document"):
        bad = await upload(owners, street, meeting["id"], content)
        assert [e["field"] for e in bad["errors"]] == ["file"]
    assert await documents(owners) == before
