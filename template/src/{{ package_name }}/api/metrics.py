"""The /metrics endpoint and the middleware that times each request, when METRICS_ENABLED.

Pure ASGI rather than BaseHTTPMiddleware: it wraps every request, so it must not buffer
bodies, spawn tasks or break streaming responses.
"""

from __future__ import annotations

import hmac
import time
from typing import Annotated

from fastapi import APIRouter, FastAPI, Header, Response
from fastapi.routing import RouteContext, iter_route_contexts
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..core.config import Settings
from ..core.errors import AuthenticationError
from ..core.metrics import (
    CONTENT_TYPE,
    HTTP_REQUEST_DURATION,
    HTTP_REQUESTS,
    exposition,
)

METRICS_PATH = "/metrics"
# Requests no route matched (404s, scanners): one series, whatever the path.
UNMATCHED = "<unmatched>"


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, routes: RouteTemplates) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status_code = 500
        started = time.perf_counter()

        async def send_with_status(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            route = self.routes.template(scope)
            if route != METRICS_PATH:
                method = scope["method"]
                HTTP_REQUESTS.labels(method, route, str(status_code)).inc()
                elapsed = time.perf_counter() - started
                HTTP_REQUEST_DURATION.labels(method, route).observe(elapsed)


class RouteTemplates:
    """The whole template (/api/v1/items/{item_id}) of the route a request matched.

    The router leaves the route it matched in the scope, as it was declared in its own
    router (/items/{item_id}): one route included under several prefixes (every API
    version) is the same object. FastAPI's route contexts carry each inclusion's whole
    path; they are indexed by route once, and only those of the matched route are tried.
    """

    def __init__(self, app: FastAPI) -> None:
        self._app = app
        self._index: dict[int, list[RouteContext]] = {}

    def template(self, scope: Scope) -> str:
        route = scope.get("route")
        if route is None:
            return UNMATCHED
        candidates = self._index.get(id(route))
        if candidates is None:  # a route added since the index was built
            self._index = self._build()
            candidates = self._index.get(id(route), [])
        for context in candidates:
            if context.matches(scope)[0] is not Match.NONE:
                return str(context.path_format)
        return UNMATCHED

    def _build(self) -> dict[int, list[RouteContext]]:
        index: dict[int, list[RouteContext]] = {}
        for context in iter_route_contexts(self._app.routes):
            index.setdefault(id(context.original_route), []).append(context)
        return index


def install_metrics(app: FastAPI, settings: Settings) -> None:
    """Count and time every request, and serve /metrics to the holder of METRICS_TOKEN."""
    if not settings.metrics_enabled:
        return
    # Settings refuse METRICS_ENABLED without a token of 16 characters or more.
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else ""
    expected = f"Bearer {token}".encode()
    router = APIRouter()

    @router.get(METRICS_PATH, include_in_schema=False)
    async def metrics(authorization: Annotated[str, Header()] = "") -> Response:
        # Constant time: the comparison must not tell a guesser how much of the token matched.
        if not hmac.compare_digest(authorization.encode(), expected):
            raise AuthenticationError("A valid metrics token is required.")
        return Response(exposition(), media_type=CONTENT_TYPE)

    app.include_router(router)
    app.add_middleware(MetricsMiddleware, routes=RouteTemplates(app))
