"""The floor for issue 13's HTTP benchmark: bare Starlette and asyncpg, no ORM, no
framework dependencies, answering the two benchmarked routes with the same SQL result
(the item joined with its location; a page of 20 with the total) behind the same PyJWT
check. No FastAPI service can beat it; the benchmark reports Strata as a share of it.

Served by http_load.py with uvicorn from the rendered project's environment:
FLOOR_DATABASE_URL (a plain postgresql:// URL) and SECRET_KEY (the service's) are read at
start. Not production code: no validation beyond what the measured work needs.
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import jwt
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

SECRET_KEY = os.environ["SECRET_KEY"]
DATABASE_URL = os.environ["FLOOR_DATABASE_URL"]
PREFIX = os.environ.get("FLOOR_PREFIX", "/api/v1")

COLUMNS = """
    i.id, i.sku, i.name, i.description, i.quantity, i.min_quantity, i.max_quantity,
    i.unit_price, i.created_at, i.updated_at,
    l.id AS location_id, l.code AS location_code, l.name AS location_name,
    l.created_at AS location_created_at, l.updated_at AS location_updated_at
"""
ITEM = f"SELECT {COLUMNS} FROM items i JOIN locations l ON l.id = i.location_id WHERE i.id = $1"
PAGE = f"""SELECT {COLUMNS} FROM items i JOIN locations l ON l.id = i.location_id
    ORDER BY i.id LIMIT $1 OFFSET $2"""
pool: asyncpg.Pool | None = None


@asynccontextmanager
async def lifespan(_: Starlette) -> AsyncIterator[None]:
    global pool
    # As many connections as a Strata service's pool may hold (5, overflow 10).
    pool = await asyncpg.create_pool(DATABASE_URL, min_size=5, max_size=15)
    yield
    await pool.close()


def authorized(request: Request) -> bool:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    try:
        jwt.decode(token, SECRET_KEY, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    except jwt.PyJWTError:
        return False
    return True


def shape(row: asyncpg.Record) -> dict[str, Any]:
    return {
        "id": row["id"],
        "sku": row["sku"],
        "name": row["name"],
        "description": row["description"],
        "quantity": row["quantity"],
        "min_quantity": row["min_quantity"],
        "max_quantity": row["max_quantity"],
        "unit_price": str(row["unit_price"]),
        "location": {
            "id": row["location_id"],
            "code": row["location_code"],
            "name": row["location_name"],
            "created_at": row["location_created_at"].isoformat(),
            "updated_at": row["location_updated_at"].isoformat(),
        },
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


async def item(request: Request) -> Response:
    if not authorized(request):
        return Response(status_code=401)
    assert pool is not None
    row = await pool.fetchrow(ITEM, int(request.path_params["item_id"]))
    if row is None:
        return Response(status_code=404)
    return JSONResponse(shape(row))


async def page(request: Request) -> Response:
    if not authorized(request):
        return Response(status_code=401)
    limit = min(int(request.query_params.get("limit", 20)), 100)
    offset = int(request.query_params.get("offset", 0))
    assert pool is not None
    async with pool.acquire() as connection:
        rows = await connection.fetch(PAGE, limit, offset)
        total = await connection.fetchval("SELECT count(*) FROM items")
    body = {"items": [shape(row) for row in rows], "total": total, "limit": limit}
    return JSONResponse({**body, "offset": offset})


async def live(_: Request) -> Response:
    return Response(status_code=200)


app = Starlette(
    routes=[
        Route("/health/live", live),
        Route(f"{PREFIX}/items/{{item_id:int}}", item),
        Route(f"{PREFIX}/items", page),
    ],
    lifespan=lifespan,
)
