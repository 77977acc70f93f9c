"""Which database errors mean "unreachable, retry later" (a 503) rather than a bug (a 500).

Drivers disagree on what an outage looks like. asyncpg raises a bare OSError
(`ConnectionRefusedError`, `TimeoutError`) when it cannot connect, and SQLAlchemy
wraps its dropped-connection and missing-database errors in a plain `DBAPIError`;
MySQL drivers raise `OperationalError` with a client error code; SQLite names its
errors. Exception classes alone are therefore not enough, and `OperationalError`
also covers real bugs (SQLite reports a syntax error with it), so the decision
looks at what happened: the connection, the server, the pool.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

# SQLSTATE (PostgreSQL, and MySQL where it sets one): 08 is the class of connection
# exceptions; 57P01-57P03 the server shutting down or starting up; 3D000 a database
# that does not exist (dropped, or not created yet); 53300 too many connections.
UNAVAILABLE_SQLSTATE_CLASSES = ("08",)
UNAVAILABLE_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "3D000", "53300"})
# MySQL and MariaDB error numbers: too many connections (1040), unknown database (1049),
# server shutting down (1053, 1077), connection killed (1927), can't connect (2002,
# 2003, 2005), server gone or connection lost (2006, 2013, 2055), idle client dropped
# by the server (4031).
UNAVAILABLE_MYSQL_ERRORS = frozenset(
    {1040, 1049, 1053, 1077, 1927, 2002, 2003, 2005, 2006, 2013, 2055, 4031}
)
# SQLite: the file cannot be opened, another writer held the lock past busy_timeout, or
# the disk failed or is full.
UNAVAILABLE_SQLITE_ERRORS = ("SQLITE_CANTOPEN", "SQLITE_BUSY", "SQLITE_IOERR", "SQLITE_FULL")


def is_unavailable(exc: BaseException) -> bool:
    """True when `exc` says the database cannot be reached or used right now.

    Integrity, programming and data errors stay False unless the connection broke
    under them: they are bugs or bad input, and retrying would not help.
    """
    if isinstance(exc, PoolTimeoutError):  # every connection busy for pool_timeout
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return any(_says_unavailable(link) for link in _chain(exc))


def _chain(exc: BaseException) -> list[BaseException]:
    """`exc`, the driver error SQLAlchemy wrapped, and what each was raised from."""
    links: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in links and len(links) < 8:
        links.append(current)
        wrapped = current.orig if isinstance(current, DBAPIError) else None
        current = wrapped if isinstance(wrapped, BaseException) else current.__cause__
    return links


def _says_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        # Refused, reset, timed out, unresolvable, or asyncio's "Multiple exceptions" when
        # every address of a host failed. An OSError naming a file comes from the file
        # system (open(), os.*): a bug or misconfiguration, not an outage.
        return exc.filename is None
    sqlstate = getattr(exc, "sqlstate", None)
    if isinstance(sqlstate, str) and (
        sqlstate in UNAVAILABLE_SQLSTATES or sqlstate.startswith(UNAVAILABLE_SQLSTATE_CLASSES)
    ):
        return True
    code = exc.args[0] if exc.args else None
    if isinstance(code, int) and not isinstance(code, bool):
        return code in UNAVAILABLE_MYSQL_ERRORS
    name = getattr(exc, "sqlite_errorname", None)
    return isinstance(name, str) and name.startswith(UNAVAILABLE_SQLITE_ERRORS)
