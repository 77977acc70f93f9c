"""Who is calling: the same shape whatever the auth mode."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """Roles in increasing order of power; each includes the ones before it."""

    reader = "reader"
    writer = "writer"
    admin = "admin"

    def includes(self, other: Role) -> bool:
        order = list(Role)
        return order.index(self) >= order.index(other)


@dataclass(frozen=True, slots=True)
class Principal:
    id: int
    name: str
    role: Role
