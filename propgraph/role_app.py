"""Strawberry's ASGI app for one role, with the bounds every request gets.

- The body must be UTF-8 JSON: an object, or a batch of objects, nested at
  most ``MAX_JSON_NESTING`` deep; anything else is a typed 400.
- The request's operations (a batch's together) stop after
  ``operation_timeout_seconds`` with a ``TIMEOUT`` error.
- An introspection-only operation is answered from a per-role cache: its
  answer depends on nothing but the role's schema.
- An answer larger than ``max_response_bytes`` is replaced by a
  ``RESPONSE_TOO_LARGE`` error.
- GraphQL over HTTP: a client that accepts ``application/graphql-response+json``
  gets that media type, and 400 without a ``data`` entry when the request
  itself fails (parse, validation, variable coercion); ``application/json``
  (and ``*/*``, or no Accept) keeps answering 200, as old clients expect.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from cross_web import HTTPException
from graphql import GraphQLError, GraphQLSchema, OperationDefinitionNode, parse
from graphql.language import FieldNode
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.types import ExecutionResult

from propgraph.authz.limits import CostBudget, Limits
from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.playground import render_playground
from propgraph.resolvers.compiled.direct import OutOfTime, direct_data
from propgraph.resolvers.compiled.sql import RawJSON
from propgraph.schema.context import Context
from propgraph.services import Services

STATE_KEY = "propgraph"
GRAPHQL_RESPONSE = "application/graphql-response+json"
NEGOTIATED = "propgraph.media"
REQUEST_FAILED = "propgraph.request_failed"
# Failures of the whole operation that still answer 200 with ``data: null``.
EXECUTION_CODES = frozenset({"TIMEOUT", "RESPONSE_TOO_LARGE", "TOO_MANY_ROWS"})
MAX_JSON_NESTING = 64
INTROSPECTION_CACHE_SIZE = 32
# Stands in for a compiled read's text while the rest of the answer is encoded.
RAW_MARK = "\u0000propgraph-raw-json:"


@dataclass(frozen=True)
class RequestState:
    db: RequestDB
    viewer: Viewer
    limits: Limits
    body: bytes = b""  # an HTTP request's body, read whole by the gateway


def error_result(message: str, code: str) -> ExecutionResult:
    return ExecutionResult(data=None, errors=[GraphQLError(message, extensions={"code": code})])


def timed_out(timeout: float) -> ExecutionResult:
    return error_result(f"The request ran longer than {timeout:g} s and was stopped.", "TIMEOUT")


def refused_body(result: ExecutionResult) -> dict[str, Any]:
    """The JSON of a whole operation refused with ``result``'s errors."""
    return {"data": None, "errors": [e.formatted for e in result.errors or []]}


def accepts_graphql_response(accept: str | None) -> bool:
    """Whether the Accept header prefers ``application/graphql-response+json``."""
    ranked: dict[str, float] = {}
    for part in (accept or "").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranked[media.lower()] = quality
    wanted = ranked.get(GRAPHQL_RESPONSE, 0.0)
    return wanted > 0 and wanted >= ranked.get("application/json", 0.0)


def is_request_error(result: ExecutionResult) -> bool:
    """Parse, validation or coercion failed: nothing was executed."""
    if result.data is not None or not result.errors:
        return False
    return all(
        e.path is None and (e.extensions or {}).get("code") not in EXECUTION_CODES
        for e in result.errors
    )


def _nesting(value: Any) -> int:
    """How deeply lists and objects nest in a decoded JSON value (iteratively)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_NESTING:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


_META_ROOT = re.compile(r"__schema|__type\s*\(")


def _introspection_only(query: str) -> bool:
    try:
        document = parse(query, max_tokens=2000, no_location=True)
    except GraphQLError:
        return False
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue  # fragments can only be spread under the meta fields checked below
        for selection in definition.selection_set.selections:
            if not isinstance(selection, FieldNode) or not selection.name.value.startswith("__"):
                return False
    return True


class RoleGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI app for one role; the context comes from the dispatcher."""

    def __init__(self, schema: Any, services: Services) -> None:
        super().__init__(schema, graphql_ide="graphiql", multipart_uploads_enabled=True)
        self.services = services
        self.graphql_schema: GraphQLSchema = schema._schema
        self._introspection: OrderedDict[str, asyncio.Future[ExecutionResult]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        modern = accepts_graphql_response(request.headers.get("accept"))
        scope[NEGOTIATED] = GRAPHQL_RESPONSE if modern else "application/json"
        try:
            response = await self._direct(request)
            if response is None:
                # One connection (one snapshot) for all the operation's statements,
                # taken before anything runs: none free is a 503 (gateway.py).
                await request.scope["state"][STATE_KEY].db.connect()
                response = await self.run(request)
        except HTTPException as exc:
            body: dict[str, Any] = {
                "errors": [{"message": exc.reason, "extensions": {"code": _code(exc)}}]
            }
            if not modern:
                body = {"data": None, **body}
            response = Response(json.dumps(body), exc.status_code, media_type=scope[NEGOTIATED])
        finally:
            # Uploads the operation never read (refused before it ran) are closed too.
            await request.close()
        await response(scope, receive, send)

    async def _direct(self, request: Request) -> Response | None:
        """The answer of an already planned query (resolvers/compiled/direct.py), or None."""
        if request.method != "POST" or not self.services.settings.compiled_reads:
            return None
        state: RequestState = request.scope["state"][STATE_KEY]
        if state.db.dialect != "postgresql" or not state.body:
            return None
        media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
        if media != "application/json":
            return None
        try:
            payload = json.loads(state.body)
        except (ValueError, RecursionError):
            return None  # the full path says what is wrong with it
        if not isinstance(payload, dict) or _nesting(payload) > MAX_JSON_NESTING:
            return None
        timeout = self.services.settings.operation_timeout_seconds
        negotiated = request.scope[NEGOTIATED]
        try:
            text = await direct_data(
                self.graphql_schema, payload, state.viewer, state.limits, state.db, timeout
            )
        except OutOfTime:
            return self._json_response(json.dumps(refused_body(timed_out(timeout))), negotiated)
        if text is None:
            return None
        encoded = f'{{"data":{text}}}'
        if len(encoded.encode()) > self.services.settings.max_response_bytes:
            return self._json_response(self._too_large(), negotiated)
        return self._json_response(encoded, negotiated)

    @staticmethod
    def _json_response(body: str, media: str) -> Response:
        response = Response(body, 200, media_type="application/json")
        if media == GRAPHQL_RESPONSE:
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
        return response

    def _too_large(self, batch: int | None = None) -> str:
        """The body answering a request whose answer is over ``max_response_bytes``."""
        limit = self.services.settings.max_response_bytes
        message = (
            f"The answer is larger than {limit:,} bytes. "
            "Ask for smaller pages (`first`) or fewer fields."
        )
        body = refused_body(error_result(message, "RESPONSE_TOO_LARGE"))
        return json.dumps(body if batch is None else [body] * batch)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        sub_response.propgraph_scope = request.scope  # type: ignore[attr-defined]
        return sub_response

    async def process_result(self, request: Request, result: ExecutionResult) -> Any:
        processed = await super().process_result(request, result)
        if request.scope.get(NEGOTIATED) == GRAPHQL_RESPONSE and is_request_error(result):
            processed.pop("data", None)
            request.scope[REQUEST_FAILED] = request.scope.get(REQUEST_FAILED, 0) + 1
        return processed

    async def render_graphql_ide(self, request: Request) -> Response:
        # Strawberry's own page loads GraphiQL from a CDN; ours is bundled and served offline.
        accounts = self.services.extras.get("demo_accounts", [])
        return HTMLResponse(render_playground(request.url.path, accounts))

    async def get_context(self, request: Request | WebSocket, response: Any = None) -> Context:
        state: RequestState = request.scope["state"][STATE_KEY]
        context = Context(
            request=request,
            response=response,
            db=state.db,
            viewer=state.viewer,
            services=self.services,
        )
        context.limits = state.limits
        context.cost_budget = CostBudget(state.limits.cost)
        context.compiled_reads = (
            self.services.settings.compiled_reads and state.db.dialect == "postgresql"
        )
        context.raw_json = isinstance(request, Request)
        return context

    def parse_json(self, data: str | bytes) -> Any:
        try:
            value = json.loads(data)
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            raise HTTPException(400, "The request body is not valid UTF-8 JSON.") from None
        if _nesting(value) > MAX_JSON_NESTING:
            raise HTTPException(400, f"The request nests more than {MAX_JSON_NESTING} levels.")
        items = value if isinstance(value, list) else [value]
        if not items or not all(isinstance(item, dict) for item in items):
            raise HTTPException(400, "The request must be a JSON object or a list of them.")
        for item in items:
            if not isinstance(item.get("query"), str | None):
                raise HTTPException(400, "The GraphQL operation's `query` must be a string.")
            if not isinstance(item.get("operationName"), str | None):
                raise HTTPException(400, "`operationName` must be a string.")
            if isinstance(value, list) and not isinstance(item.get("variables"), dict | None):
                raise HTTPException(400, "`variables` must be an object.")
        return value

    async def execute_operation(self, *args: Any, **kwargs: Any) -> Any:
        timeout = self.services.settings.operation_timeout_seconds
        try:
            async with asyncio.timeout(timeout):
                return await super().execute_operation(*args, **kwargs)
        except TimeoutError:
            result = timed_out(timeout)
            data = kwargs.get("request_data")
            return [result] * len(data) if isinstance(data, list) else result

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        data = kwargs["request_data"]
        if not isinstance(data.query, str) or not _META_ROOT.search(data.query):
            return await super().execute_single(*args, **kwargs)
        key = json.dumps([data.query, data.operation_name, data.variables], sort_keys=True)
        if key in self._introspection:  # only introspection-only texts are ever kept
            self._introspection.move_to_end(key)
            return await asyncio.shield(self._introspection[key])
        if not _introspection_only(data.query):
            return await super().execute_single(*args, **kwargs)
        future: asyncio.Future[ExecutionResult] = asyncio.get_running_loop().create_future()
        self._introspection[key] = future
        try:
            result = await super().execute_single(*args, **kwargs)
        except BaseException as exc:
            del self._introspection[key]
            future.set_exception(exc)
            future.exception()  # retrieved: waiters re-raise it
            raise
        future.set_result(result)
        if result.errors:
            del self._introspection[key]  # refusals count against each caller's budget
        while len(self._introspection) > INTROSPECTION_CACHE_SIZE:
            self._introspection.popitem(last=False)
        return result

    def encode_json(self, data: Any) -> str:
        """JSON, with a compiled read's text (``RawJSON``) written in as it came."""
        raws: list[str] = []

        def swap(response: Any) -> Any:
            if isinstance(response, dict) and isinstance(response.get("data"), RawJSON):
                raws.append(response["data"].text)
                return {**response, "data": f"{RAW_MARK}{len(raws) - 1}"}
            return response

        swapped = [swap(r) for r in data] if isinstance(data, list) else swap(data)
        encoded = json.dumps(swapped, separators=(",", ":"))
        for index, text in enumerate(raws):
            encoded = encoded.replace(json.dumps(f"{RAW_MARK}{index}"), text, 1)
        return encoded

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        response = super().create_response(response_data, sub_response)
        scope = getattr(sub_response, "propgraph_scope", {})
        media = scope.get(NEGOTIATED, "application/json")
        if len(response.body) > self.services.settings.max_response_bytes:
            batch = len(response_data) if isinstance(response_data, list) else None
            return Response(self._too_large(batch), 200, media_type=media)
        if media == GRAPHQL_RESPONSE:
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
            if scope.get(REQUEST_FAILED) and not isinstance(response_data, list):
                response.status_code = 400
        return response


def _code(exc: HTTPException) -> str:
    return {405: "METHOD_NOT_ALLOWED", 404: "NOT_FOUND", 413: "PAYLOAD_TOO_LARGE"}.get(
        exc.status_code, "BAD_REQUEST"
    )
