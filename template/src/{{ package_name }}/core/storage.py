"""Where uploaded images are kept (R6): one small interface, and a local directory behind it.

To keep them elsewhere (an object store), implement ImageStorage and create yours in the
lifespan (main.py) instead of LocalImageStorage. Keys are chosen by the service (such as
`item-42`), never by the client, so no client-sent name reaches a path.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import anyio
from anyio import AsyncFile

CHUNK_BYTES = 64 * 1024
# The file name suffix for each type an image may be stored as (core/image.py).
SUFFIXES = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp"}
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")


@dataclass(frozen=True, slots=True)
class StoredImage:
    """An image being read back: its type, its size, and its bytes to stream."""

    media_type: str
    size: int
    chunks: AsyncIterator[bytes]


class ImageStorage(Protocol):
    async def save(self, key: str, media_type: str, chunks: AsyncIterable[bytes]) -> int:
        """Store the chunks as the image `key`, replacing any; returns its size in bytes.

        All or nothing: if reading the chunks fails (a body over the limit), the image
        that was there is kept and nothing of the new one remains.
        """
        ...

    async def open(self, key: str) -> StoredImage | None:
        """The image `key`, or None."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the image `key`, if there is one."""
        ...


class LocalImageStorage:
    """Images as files `<key>.<suffix>` in one directory, created on the first save.

    File work runs in worker threads (anyio), so a slow disk never blocks the event loop.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = anyio.Path(directory)

    async def save(self, key: str, media_type: str, chunks: AsyncIterable[bytes]) -> int:
        target = self._path(key, SUFFIXES[media_type])
        await self.directory.mkdir(parents=True, exist_ok=True)
        # Written under a name of its own in the same directory, then renamed over the
        # old one: a reader sees the old image or the new one, never a part of it.
        partial = self.directory / f".{key}.{uuid.uuid4().hex}.part"
        size = 0
        try:
            async with await anyio.open_file(partial, "xb") as file:
                async for chunk in chunks:
                    size += len(chunk)
                    await file.write(chunk)
            await partial.replace(target)
        except BaseException:
            # Shielded: a cancelled request (a client gone) must still leave no file behind.
            with anyio.CancelScope(shield=True):
                await partial.unlink(missing_ok=True)
            raise
        # A replacement of another type: the old file goes once the new one is in place.
        for suffix in set(SUFFIXES.values()) - {target.suffix}:
            await self._path(key, suffix).unlink(missing_ok=True)
        return size

    async def open(self, key: str) -> StoredImage | None:
        for media_type, suffix in SUFFIXES.items():
            try:
                file = await anyio.open_file(self._path(key, suffix), "rb")
            except FileNotFoundError:
                continue
            # The size of the file opened: it may be replaced or deleted meanwhile, and this
            # handle still reads the one it opened.
            stat = await anyio.to_thread.run_sync(os.fstat, file.wrapped.fileno())
            return StoredImage(media_type, stat.st_size, _read(file))
        return None

    async def delete(self, key: str) -> None:
        for suffix in SUFFIXES.values():
            await self._path(key, suffix).unlink(missing_ok=True)

    def _path(self, key: str, suffix: str) -> anyio.Path:
        # Keys come from the service, not the client; refusing any other shape still keeps
        # a bug from writing outside the directory.
        if not _KEY.fullmatch(key):
            raise ValueError(f"Not a storage key: {key!r}")
        return self.directory / f"{key}{suffix}"


async def _read(file: AsyncFile[bytes]) -> AsyncIterator[bytes]:
    async with file:
        while chunk := await file.read(CHUNK_BYTES):
            yield chunk
