"""GraphQL over HTTP, as the GraphQL-over-HTTP specification describes it.

- POST with `application/json` runs any operation; GET (`?query=...`) runs queries only
  (405 for mutations), with `Cache-Control` and an `ETag` so proxies and browsers can
  cache public reads (`If-None-Match` answers 304).
- The response media type follows `Accept`: `application/graphql-response+json` (also for
  `*/*` or no Accept) answers request errors with 4xx and omits `data`;
  `application/json` answers every well-formed request with 200. Anything else: 406.
- Every error carries a code and the request id, whatever was sent (`null`, a string,
  deeply nested JSON, a body that is not JSON at all).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import orjson
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from server.graphql.admission import admit, is_bare
from server.graphql.context import Context
from server.graphql.metrics_extension import INVALID, record_operation
from server.graphql.schema import StonksSchema
from server.graphql.trusted import TrustedDocuments
from server.settings import Settings

logger = logging.getLogger("server.graphql")

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
# Request errors that are not the client's document: other statuses than 400.
_STATUS_OF_CODE = {"SERVICE_UNAVAILABLE": 503}


class HTTPRequestError(Exception):
    """A request refused before any GraphQL ran: its status, code and message."""

    def __init__(
        self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.headers = dict(headers or {})


def negotiate(accept: str | None) -> str | None:
    """The media type to answer with; None when `Accept` allows neither."""
    if not accept:
        return GRAPHQL_RESPONSE
    best: tuple[float, int, str] | None = None
    for position, item in enumerate(accept.split(",")):
        media, *parameters = (part.strip() for part in item.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        chosen = {
            GRAPHQL_RESPONSE: GRAPHQL_RESPONSE,
            JSON: JSON,
            "application/*": GRAPHQL_RESPONSE,
            "*/*": GRAPHQL_RESPONSE,
        }.get(media.lower())
        if chosen is None or quality <= 0:
            continue
        # Highest quality first, then the order the client listed them in.
        candidate = (-quality, position, chosen)
        if best is None or candidate < best:
            best = candidate
    return best[2] if best else None


@dataclass(frozen=True, slots=True)
class GraphQLParams:
    query: str | None
    variables: dict[str, Any] | None
    operation_name: str | None
    extensions: dict[str, Any] | None
    # A registered operation's hash, sent instead of `query` (server.graphql.trusted).
    document_id: Any = None


def _bad_request(message: str) -> HTTPRequestError:
    return HTTPRequestError(400, "BAD_REQUEST", message)


def _decode_json(text: str | bytes, what: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise _bad_request(f"{what} nests too deeply") from None
    except ValueError:
        raise _bad_request(f"{what} is not valid JSON") from None


def params_from(data: Any) -> GraphQLParams:
    """The GraphQL parameters of a decoded request; BAD_REQUEST for any other shape."""
    if not isinstance(data, dict):
        raise _bad_request("the request body must be a JSON object (batches are not accepted)")
    query, variables = data.get("query"), data.get("variables")
    operation_name, extensions = data.get("operationName"), data.get("extensions")
    if not isinstance(query, str | None):
        raise _bad_request("`query` must be a string")
    if not isinstance(variables, dict | None):
        raise _bad_request("`variables` must be an object or null")
    if not isinstance(operation_name, str | None):
        raise _bad_request("`operationName` must be a string or null")
    if not isinstance(extensions, dict | None):
        raise _bad_request("`extensions` must be an object or null")
    return GraphQLParams(query, variables, operation_name, extensions, data.get("documentId"))


async def read_params(request: Request) -> GraphQLParams:
    if request.method == "GET":
        fields: dict[str, Any] = dict(request.query_params)
        for name in ("variables", "extensions"):
            if name in fields:
                fields[name] = _decode_json(fields[name], f"`{name}`")
        return params_from(fields)
    media, _, parameters = request.headers.get("content-type", "").partition(";")
    charset = parameters.partition("charset=")[2].strip().strip('"').lower()
    if media.strip().lower() != JSON or charset not in ("", "utf-8"):
        raise HTTPRequestError(
            415, "UNSUPPORTED_MEDIA_TYPE", "send the operation as application/json (UTF-8)"
        )
    body = await request.body()
    if not body:
        raise _bad_request("the request body is empty")
    return params_from(_decode_json(body, "the request body"))


def _error_body(code: str, message: str, request_id: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code, "requestId": request_id}}]}


def _formatted_errors(errors: list[GraphQLError], request_id: str) -> list[dict[str, Any]]:
    formatted = []
    for error in errors:
        entry: dict[str, Any] = dict(error.formatted)
        entry["extensions"] = {**(error.extensions or {}), "requestId": request_id}
        formatted.append(entry)
    return formatted


def _codes(errors: list[GraphQLError]) -> set[str]:
    return {str((error.extensions or {}).get("code")) for error in errors}


class GraphQLOverHTTP:
    """The HTTP endpoint of the schema; the WebSocket side stays Strawberry's."""

    def __init__(
        self,
        schema: StonksSchema,
        settings: Settings,
        context: Callable[[Request], Awaitable[Context]],
        ide: Callable[[Request], Awaitable[Response]] | None,
        trusted: TrustedDocuments,
    ) -> None:
        self.schema = schema
        self.settings = settings
        self.context = context
        self.ide = ide
        self.trusted = trusted

    async def __call__(self, request: Request) -> Response:
        request_id: str = request.state.request_id
        media = negotiate(request.headers.get("accept"))
        try:
            if request.method not in ("GET", "POST"):
                raise HTTPRequestError(
                    405,
                    "METHOD_NOT_ALLOWED",
                    "use POST, or GET for queries",
                    {"Allow": "GET, POST"},
                )
            if self.ide is not None and self._wants_ide(request):
                return await self.ide(request)
            if media is None:
                raise HTTPRequestError(
                    406, "NOT_ACCEPTABLE", f"accept {GRAPHQL_RESPONSE} or {JSON}"
                )
            params = self._registered(await read_params(request))
            return await self._answer(request, params, media)
        except HTTPRequestError as refusal:
            return self._respond(
                _error_body(refusal.code, str(refusal), request_id),
                refusal.status,
                media or JSON,
                refusal.headers,
            )

    async def _answer(self, request: Request, params: GraphQLParams, media: str) -> Response:
        request_id: str = request.state.request_id
        try:
            if (refused := self._refused(params, request_id)) is not None:
                refusal = ExecutionResult(data=None, errors=[refused])
                return self._respond_result(request, refusal, media, request_id)
            context = await self.context(request)
            # This endpoint's encoder splices JSON built in SQL (see `_encode`).
            context.json_pages = True
            result = await self._execute(request, params, context)
            response = self._respond_result(request, result, media, request_id)
            decision = context.rate_limit.decision if context.rate_limit else None
            if decision is not None:
                response.headers.update(decision.headers())
            return response
        except HTTPRequestError:
            raise
        except Exception:
            # A bug: masked like one inside GraphQL, still JSON with the request id.
            logger.exception("unexpected error serving GraphQL (request id %s)", request_id)
            body = _error_body("INTERNAL_SERVER_ERROR", "Internal server error", request_id)
            return self._respond(body, 500, media)

    def _refused(self, params: GraphQLParams, request_id: str) -> GraphQLError | None:
        """Why the document is refused before anything runs (server.graphql.admission),
        found before the context is built: a flood of refused documents costs no
        credential check, no loaders, no rate-limit round trip and no extensions. An
        admitted document is left parsed for the execution that follows."""
        if not params.query:
            return None
        started = time.perf_counter()
        bare = is_bare(params.variables, params.operation_name)
        outcome = admit(self.settings, self.trusted, params.query, bare=bare)
        if not isinstance(outcome, GraphQLError):
            return None
        record_operation(request_id, params.operation_name, INVALID, started, [outcome])
        return outcome

    def _registered(self, params: GraphQLParams) -> GraphQLParams:
        """Fills in the text of an operation named by its hash."""
        if params.query is not None:
            return params
        try:
            query = self.trusted.named(params.extensions, params.document_id)
        except GraphQLError as error:
            code = str((error.extensions or {})["code"])
            raise HTTPRequestError(400, code, error.message) from None
        return replace(params, query=query)

    @staticmethod
    def _wants_ide(request: Request) -> bool:
        return (
            request.method == "GET"
            and "query" not in request.query_params
            and "text/html" in request.headers.get("accept", "")
        )

    async def _execute(
        self, request: Request, params: GraphQLParams, context: Context
    ) -> ExecutionResult:
        get = request.method == "GET"
        allowed = {OperationType.QUERY} if get else {OperationType.QUERY, OperationType.MUTATION}
        try:
            return await self.schema.execute(
                params.query,
                variable_values=params.variables,
                context_value=context,
                operation_name=params.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=params.extensions,
            )
        except MissingQueryError:
            raise _bad_request("no GraphQL document (`query`) in the request") from None
        except CannotGetOperationTypeError as error:
            raise _bad_request(error.as_http_error_reason()) from None
        except InvalidOperationTypeError as error:
            if get and error.operation_type is OperationType.MUTATION:
                raise HTTPRequestError(
                    405, "METHOD_NOT_ALLOWED", "mutations need POST", {"Allow": "POST"}
                ) from None
            raise _bad_request(
                "subscriptions run over WebSocket (graphql-transport-ws), not over HTTP"
            ) from None

    def _respond_result(
        self, request: Request, result: ExecutionResult, media: str, request_id: str
    ) -> Response:
        errors = result.errors or []
        body: dict[str, Any] = {}
        # A request error (nothing executed) has no `data` entry at all.
        request_error = result.data is None and errors and all(e.path is None for e in errors)
        if not request_error:
            body["data"] = result.data
        if errors:
            body["errors"] = _formatted_errors(errors, request_id)
        if result.extensions:
            body["extensions"] = result.extensions
        status = 200
        codes = _codes(errors)
        unavailable = "SERVICE_UNAVAILABLE" in codes and result.data is None
        if media == GRAPHQL_RESPONSE and (request_error or unavailable):
            status = next((_STATUS_OF_CODE[c] for c in codes if c in _STATUS_OF_CODE), 400)
        if "RATE_LIMITED" in codes:
            # Whatever the media type: clients and proxies back off on 429 + Retry-After.
            status = 429
        headers: dict[str, str] = {}
        if unavailable:
            headers["Retry-After"] = "5"
        if request.method == "GET" and status == 200 and not errors:
            return self._cacheable(request, body, media)
        return self._respond(body, status, media, headers)

    def _cacheable(self, request: Request, body: dict[str, Any], media: str) -> Response:
        content = _encode(body)
        etag = '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'
        private = "authorization" in request.headers
        headers = {
            "ETag": etag,
            "Cache-Control": "private, no-cache"
            if private
            else f"public, max-age={self.settings.graphql_get_max_age_s}",
            "Vary": "Accept, Authorization",
        }
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return Response(content, 200, headers, f"{media}; charset=utf-8")

    @staticmethod
    def _respond(
        body: dict[str, Any], status: int, media: str, headers: Mapping[str, str] | None = None
    ) -> Response:
        return Response(_encode(body), status, dict(headers or {}), f"{media}; charset=utf-8")


def _encode(body: dict[str, Any]) -> bytes:
    # orjson writes what json.dumps(separators=(",", ":"), ensure_ascii=False) writes, and
    # splices the JSON pages built in SQL (orjson.Fragment, server/graphql/json_pages.py).
    return orjson.dumps(body, default=str)
