"""Fixed-window counters on Django's cache, for throttling guesses (activation codes…).

Why not a library: django-ratelimit and friends wrap views with decorators keyed on
the request, while Préau needs to count only *failed* attempts, under several keys at
once (the client's IP and the first characters of the code tried), and to answer with
its own 429 page and audit record. That is twenty lines on top of the cache Préau
already shares between its processes (the database cache embedded, Redis at scale), so
one more dependency would buy nothing.

``cache.add`` creates a window's counter only if it is missing and ``cache.incr``
then counts; both are atomic on Redis. On the database cache ``incr`` is a read and a
write, so concurrent failures may be undercounted by the number of requests in flight:
the limit is then approximate, never absent.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` hits per ``window`` seconds for each key of a ``scope``."""

    scope: str
    limit: int
    window: int

    def _cache_key(self, key: str, now: float | None = None) -> str:
        slot = int((time.time() if now is None else now) // self.window)
        # Keys may hold anything (IP addresses, user input): hash them to a safe length.
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        return f"preau:rl:{self.scope}:{slot}:{digest}"

    def count(self, key: str) -> int:
        return int(cache.get(self._cache_key(key), 0))

    def is_exceeded(self, key: str) -> bool:
        return self.count(key) >= self.limit

    def hit(self, key: str) -> int:
        """Count one hit for ``key`` in the current window; return the window's total."""
        cache_key = self._cache_key(key)
        cache.add(cache_key, 0, timeout=self.window)
        try:
            return int(cache.incr(cache_key))
        except ValueError:  # the window expired between add and incr
            cache.add(cache_key, 1, timeout=self.window)
            return 1

    def reset(self, key: str) -> None:
        cache.delete(self._cache_key(key))
