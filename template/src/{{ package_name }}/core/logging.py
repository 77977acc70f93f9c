"""Logging: the request id on every record, text for people, JSON for log pipelines.

The id of the request being handled lives in a context variable: the request context
middleware binds it, asyncio tasks and anyio's worker threads inherit it, and jobs carry
it to whichever process runs them, which binds it again (tasks/runner.py). A filter on
the one handler copies it onto every record, whichever library logged it.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from typing import Any

# Attributes every LogRecord has; anything else came in through `extra=`.
# uvicorn adds `color_message`, a copy of the message with terminal colours.
_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "color_message",
}

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request this code runs for (or of the one that asked for this job)."""
    return _request_id.get()


def bind_request_id(request_id: str | None) -> Token[str | None]:
    """Records logged from here on, in this context, carry `request_id`."""
    return _request_id.set(request_id)


def unbind_request_id(token: Token[str | None]) -> None:
    _request_id.reset(token)


@contextmanager
def request_id_bound(request_id: str | None) -> Iterator[None]:
    """Every record logged inside the block carries `request_id`."""
    token = bind_request_id(request_id)
    try:
        yield
    finally:
        unbind_request_id(token)


class RequestIdFilter(logging.Filter):
    """Puts the bound request id on each record (None outside any request); an id given
    with `extra=` wins."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id()
        return True


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {key: value for key, value in vars(record).items() if key not in _STANDARD_ATTRS}


class JsonFormatter(logging.Formatter):
    """One JSON object per line, easy to ship and query."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        payload.update(_extras(record))
        if record.exc_info:
            payload["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


class TextFormatter(logging.Formatter):
    """One readable line (then any traceback): time, level, logger, [request id], message,
    then the record's extra fields as key=value."""

    def __init__(self) -> None:
        # formatMessage() below writes the line; this format only makes asctime available.
        super().__init__("%(asctime)s %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        extras = _extras(record)
        request = extras.pop("request_id", None) or "-"
        line = f"{record.asctime} {record.levelname:<7} {record.name} [{request}] {record.message}"
        fields = " ".join(f"{key}={value}" for key, value in extras.items())
        return f"{line} {fields}" if fields else line


def configure_logging(level: str, *, json_lines: bool) -> None:
    """Route the service's and uvicorn's loggers through one handler: JSON lines or text."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn's access log would duplicate our request log line.
    logging.getLogger("uvicorn.access").disabled = True


class Throttle:
    """Lets something through at most once per `interval_seconds`: a dependency the
    service runs without (the limiter's or the cache's Redis) is reported once a minute
    while it is down, not once a request."""

    def __init__(self, interval_seconds: float) -> None:
        self._interval = interval_seconds
        self._last = -math.inf

    def ready(self) -> bool:
        now = time.monotonic()
        if now - self._last < self._interval:
            return False
        self._last = now
        return True
