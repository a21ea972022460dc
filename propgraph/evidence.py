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
from starlette.responses import FileResponse, Response

from propgraph.admission import busy, not_found, unauthorized
from propgraph.db import PoolExhausted, RequestDB
from propgraph.gateway import GraphQLGateway, Unauthorized
from propgraph.models import Evidence
from propgraph.resolvers.subsidy.kinds import EVIDENCE
from propgraph.schema.ids import pk_of
from propgraph.storage import FileStore


async def download(request: Request) -> Response:
    gateway: GraphQLGateway = request.app.state.gateway
    unknown = not_found("No such evidence.").response()
    db = RequestDB(gateway.services.engine)
    try:
        viewer = await gateway.viewer_for(db, request.headers.get("authorization"))
        if viewer.account is None:
            raise Unauthorized("Sign in to download evidence.")
        pk = pk_of(request.path_params["id"], "Evidence")
        if pk is None:
            return unknown
        row = (
            await db.execute(
                select(Evidence.stored_as, Evidence.filename, Evidence.content_type).where(
                    Evidence.id == pk, EVIDENCE.visible(viewer)
                )
            )
        ).first()
    except Unauthorized as exc:
        return unauthorized(str(exc)).response()
    except PoolExhausted:
        return busy("The database is busy; try again shortly.").response()
    finally:
        await db.close()
    if row is None:
        return unknown
    path = FileStore(gateway.services.settings.upload_dir).path(row.stored_as)
    if not path.is_file():
        return unknown
    return FileResponse(
        path,
        media_type=row.content_type,
        filename=row.filename,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"},
    )
