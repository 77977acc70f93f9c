"""What the migration tests share: a database of their own, and how to read its schema.

Plain `def` helpers: Alembic's env.py runs its own event loop with asyncio.run().
"""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from tests.fixtures.database import provision_database


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[str]:
    """A new, empty database that no other test has migrated."""
    with provision_database(tmp_path) as url:
        yield url


def _read_schema(connection: Connection) -> tuple[set[str], set[str]]:
    tables = set(inspect(connection).get_table_names())
    revisions: set[str] = set()
    if "alembic_version" in tables:
        query = text("SELECT version_num FROM alembic_version")
        revisions = set(connection.execute(query).scalars())
    return tables, revisions


async def _schema(url: str) -> tuple[set[str], set[str]]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_read_schema)
    finally:
        await engine.dispose()


def schema(url: str) -> tuple[set[str], set[str]]:
    """The tables in the database and the revisions Alembic recorded (one per head)."""
    return asyncio.run(_schema(url))
