from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

LocationCode = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Z0-9][A-Z0-9-]{1,31}$")
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class LocationCreate(BaseModel):
    # extra="forbid": an unknown field is a client bug, not something to ignore.
    model_config = ConfigDict(extra="forbid")

    code: LocationCode = Field(examples=["WH-1"])
    name: Name = Field(examples=["Main warehouse"])


class LocationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    created_at: datetime
    updated_at: datetime
