"""The in-process cache: a dictionary with expiry times and a size bound.

Hand-written: cachetools' TTLCache has one TTL for every entry and ships no types, and
what is needed here (per-entry expiry, a bound, three methods) is a few lines. It is one
process's memory: with several `serve` workers each has its own, and a write clears
only the copy of the worker that served it; the others can answer from theirs until
it expires (at most the TTL).
"""

from __future__ import annotations

import time

# Enough for every location's summary in a large inventory; past it the entries that
# expire first make room (entries are small: a few hundred bytes each).
MAX_ENTRIES = 10_000


class MemoryCache:
    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._max_entries = max_entries
        # key -> (expiry on the monotonic clock, value); the event loop is one thread,
        # and no method awaits, so no lock is needed.
        self._entries: dict[str, tuple[float, bytes]] = {}

    async def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires <= time.monotonic():
            del self._entries[key]
            return None
        return value

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None:
        now = time.monotonic()
        self._entries.pop(key, None)
        if len(self._entries) >= self._max_entries:
            self._evict(now)
        self._entries[key] = (now + ttl_seconds, value)

    async def delete(self, *keys: str) -> None:
        for key in keys:
            self._entries.pop(key, None)

    def _evict(self, now: float) -> None:
        """Drop the expired entries, or, when none has, the one that expires first."""
        expired = [key for key, (expires, _) in self._entries.items() if expires <= now]
        for key in expired:
            del self._entries[key]
        if not expired:
            del self._entries[min(self._entries, key=lambda key: self._entries[key][0])]
