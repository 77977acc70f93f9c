"""Request context: a request id on every request and one log line per request.

It also names, in a Job-ID header, the queued jobs a request started: they are
sent after the commit, which runs once the response has been built but before
it is sent, so only a wrapper around `send` can still add the header.

Pure ASGI rather than BaseHTTPMiddleware: it wraps every request, so it must not
buffer bodies, spawn tasks or break streaming responses.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("request")

REQUEST_ID_HEADER = "X-Request-ID"
JOB_ID_HEADER = "Job-ID"
# Only ids that are safe to echo into headers and logs are kept; others are replaced.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._\-]{1,128}")


_JOB_IDS = "job_ids"


def announce_jobs(scope: Scope, job_ids: list[str]) -> None:
    """Name `job_ids` in the Job-ID header of the response to this request."""
    scope.setdefault("state", {}).setdefault(_JOB_IDS, []).extend(job_ids)


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        incoming = Headers(scope=scope).get(REQUEST_ID_HEADER, "")
        request_id = incoming if _SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        # Starlette's request.state reads this dict, so handlers can quote the id.
        scope.setdefault("state", {})["request_id"] = request_id
        status_code = 500
        started = time.perf_counter()

        async def send_with_request_id(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID_HEADER] = request_id
                if job_ids := scope["state"].get(_JOB_IDS):
                    headers[JOB_ID_HEADER] = ", ".join(job_ids)
            await send(message)

        try:
            await self.app(scope, receive, send_with_request_id)
        finally:
            client = scope.get("client")
            logger.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "request_id": request_id,
                    "client": client[0] if client else None,
                },
            )
