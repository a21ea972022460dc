"""``GET /evidence/{id}``: an uploaded document, for whoever may see its application.

The bearer token is checked exactly as on ``/graphql``, and the file is
looked up through the viewer's scope (``EVIDENCE.visible``): a reviewer of
the application's community, street or district, or its enterprise and
manager, gets the file; anyone else gets the same 404 as for an id that
does not exist.
"""

from __future__ import annotations

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from propgraph.db import PoolExhausted, RequestDB
from propgraph.gateway import GraphQLGateway, Unauthorized
from propgraph.models import Evidence
from propgraph.resolvers.subsidy.kinds import EVIDENCE
from propgraph.schema.relay import from_global_id
from propgraph.storage import FileStore


def _error(status: int, code: str, message: str, **headers: str) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=status, headers=headers)


async def download(request: Request) -> Response:
    gateway: GraphQLGateway = request.app.state.gateway
    not_found = _error(404, "NOT_FOUND", "No such evidence.")
    db = RequestDB(gateway.services.engine)
    try:
        viewer = await gateway.viewer_for(db, request.headers.get("authorization"))
        if viewer.account is None:
            raise Unauthorized("Sign in to download evidence.")
        decoded = from_global_id(request.path_params["id"])
        if decoded is None or decoded[0] != "Evidence" or decoded[1] >= 2**31:
            return not_found
        row = (
            await db.execute(
                select(Evidence.stored_as, Evidence.filename, Evidence.content_type).where(
                    Evidence.id == decoded[1], EVIDENCE.visible(viewer)
                )
            )
        ).first()
    except Unauthorized as exc:
        return _error(401, "UNAUTHENTICATED", str(exc), **{"WWW-Authenticate": "Bearer"})
    except PoolExhausted:
        return _error(503, "SERVICE_UNAVAILABLE", "The database is busy.", **{"Retry-After": "1"})
    finally:
        await db.close()
    if row is None:
        return not_found
    path = FileStore(gateway.services.settings.upload_dir).path(row.stored_as)
    if not path.is_file():
        return not_found
    return FileResponse(
        path,
        media_type=row.content_type,
        filename=row.filename,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"},
    )
