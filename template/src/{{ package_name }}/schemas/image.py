"""What an image upload answers: the type told from its bytes, and its size."""

from __future__ import annotations

from pydantic import BaseModel


class ImageRead(BaseModel):
    media_type: str
    size: int
