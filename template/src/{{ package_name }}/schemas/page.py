"""Bounded pagination: the query parameters and the page envelope."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

MAX_PAGE_SIZE = 100


class PageParams(BaseModel):
    # A hard upper bound: one request can never ask the database for everything.
    limit: int = Field(default=20, ge=1, le=MAX_PAGE_SIZE, description="Page size (1-100)")
    offset: int = Field(default=0, ge=0, description="Rows to skip")


class Page(BaseModel, Generic[T]):
    model_config = ConfigDict(from_attributes=True)

    items: Sequence[T]
    total: int
    limit: int
    offset: int

    @classmethod
    def of(cls, rows: Sequence[object], total: int, params: PageParams) -> Self:
        """A page of `rows` (ORM objects are read through T's from_attributes)."""
        return cls.model_validate(
            {"items": rows, "total": total, "limit": params.limit, "offset": params.offset},
            from_attributes=True,
        )
