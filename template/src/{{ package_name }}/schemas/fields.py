"""Field types for input that must reach the database intact, shared by every schema and route.

An id past its column's range, or text the database cannot store, would fail inside the
driver as a 500. Bounded here, it is a 422 problem before any query runs, on every
database alike, and the OpenAPI document states the bound.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

# The largest 32-bit signed INTEGER: the id columns on PostgreSQL and MySQL. SQLite's are
# wider; one bound keeps the API the same on every database.
DB_INT_MAX = 2**31 - 1

# Every id in a path, a query or a body: a primary or foreign key of an INTEGER column.
DbId = Annotated[int, Field(ge=1, le=DB_INT_MAX)]

# No table holds more rows than it has ids, so no useful offset is larger; without a bound,
# 2**63 overflows the driver (2**64 on MySQL).
Offset = Annotated[int, Field(ge=0, le=DB_INT_MAX)]

# PostgreSQL's text types cannot hold NUL. Checking a pattern also makes pydantic encode
# the text, which refuses lone surrogates (not valid UTF-8 on any database).
NO_NUL_PATTERN = r"^[^\x00]*$"

# Free text from a client. Combine with more constraints: Annotated[Text, StringConstraints(...)].
Text = Annotated[str, StringConstraints(pattern=NO_NUL_PATTERN)]
