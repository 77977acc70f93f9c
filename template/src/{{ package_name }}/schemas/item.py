"""Item schemas: separate input and output models, constraints at the boundary."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from .location import LocationRead, Name

MAX_BULK_ITEMS = 100

Sku = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Z0-9][A-Z0-9-]{2,31}$")
]
Price = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2)]
Quantity = Annotated[int, Field(ge=0, le=1_000_000_000)]
Description = Annotated[str, StringConstraints(max_length=2000)]


def _check_bounds(min_quantity: int | None, max_quantity: int | None) -> None:
    if min_quantity is not None and max_quantity is not None and min_quantity > max_quantity:
        raise ValueError("min_quantity must not be greater than max_quantity")


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: Sku = Field(examples=["WIDGET-001"])
    name: Name = Field(examples=["Widget"])
    description: Description | None = None
    quantity: Quantity = 0
    min_quantity: Quantity | None = None
    max_quantity: Quantity | None = None
    unit_price: Price = Field(examples=["9.99"])
    location_id: int = Field(gt=0)

    @model_validator(mode="after")
    def _min_not_above_max(self) -> Self:
        _check_bounds(self.min_quantity, self.max_quantity)
        return self


class ItemUpdate(BaseModel):
    """PATCH body: omitted fields stay as they are; stock changes go through adjustments."""

    model_config = ConfigDict(extra="forbid")

    sku: Sku | None = None
    name: Name | None = None
    description: Description | None = None
    min_quantity: Quantity | None = None
    max_quantity: Quantity | None = None
    unit_price: Price | None = None
    location_id: int | None = Field(default=None, gt=0)

    # Validators do not run on defaults, so this fires only for an explicit null.
    @field_validator("sku", "name", "unit_price", "location_id")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may be omitted but not null")
        return value

    @model_validator(mode="after")
    def _min_not_above_max(self) -> Self:
        _check_bounds(self.min_quantity, self.max_quantity)
        return self


class ItemBulkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[ItemCreate] = Field(min_length=1, max_length=MAX_BULK_ITEMS)


class StockAdjustment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    delta: int = Field(ge=-1_000_000_000, le=1_000_000_000, examples=[5, -3])

    @field_validator("delta")
    @classmethod
    def _not_zero(cls, value: int) -> int:
        if value == 0:
            raise ValueError("delta must not be zero")
        return value


class ItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    sku: str
    name: str
    description: str | None
    quantity: int
    min_quantity: int | None
    max_quantity: int | None
    unit_price: Decimal
    location: LocationRead
    created_at: datetime
    updated_at: datetime
