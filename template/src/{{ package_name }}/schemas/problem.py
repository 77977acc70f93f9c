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


# What any API route may answer besides its success: 400 (a body that cannot be parsed),
# 413 (a body over the limit), 500 (a bug) and 503 (a dependency down) as much as the
# domain's 401/403/404/409/422.
# "model" puts Problem in the document's components (FastAPI also lists it under
# application/json); the schema under the media type actually sent is the one that counts.
def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` declaring a problem document for each of `statuses`."""
    return {
        status: {
            "model": Problem,
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
        for status in statuses
    }


PROBLEM_RESPONSES = problem_responses(400, 401, 403, 404, 409, 413, 422, 500, 503)

# Added by the routes that call a partner API: it failed (502), or was too slow (504).
UPSTREAM_RESPONSES = problem_responses(502, 504)
