"""The RFC 9457 problem document, declared so OpenAPI documents error responses."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Problem(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    request_id: str | None = None
    errors: list[dict[str, Any]] | None = None


# Error responses name the schema under the one media type they are sent as. Not with
# FastAPI's "model": it would list them under application/json too. api/openapi.py puts
# Problem in the document's components.
PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` declaring a problem document for each of `statuses`."""
    return {status: {"content": PROBLEM_CONTENT} for status in statuses}


# What any API route may answer besides its success: 400 (a body that cannot be parsed),
# 413 (a body over the limit), 500 (a bug) and 503 (the database down: every API route
# reads it, if only to authenticate the caller) as much as the domain's 401/403/404/409/422.
PROBLEM_RESPONSES = problem_responses(400, 401, 403, 404, 409, 413, 422, 500, 503)

# Any route at all, the API's or not (health, yours beside them): a bug is a 500. A route
# outside the API that uses the database or another service adds its own 503.
ANY_ROUTE_RESPONSES = problem_responses(500)

# Added by the routes that call a partner API: it failed (502), or was too slow (504).
UPSTREAM_RESPONSES = problem_responses(502, 504)
