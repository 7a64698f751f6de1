"""Memo caches whose keys are bounded in length.

The rules cache a few pure functions of short strings (a word, a claimant's
name, a written number). Their arguments come from the text, and a hostile
text can make one arbitrarily long (a 1 MB "word", a number phrase padded
with spaces); an ``lru_cache`` would then keep that string alive for the
life of the worker. A ``bounded_cache`` keeps only results whose key (the
first argument) is at most ``max_key_chars`` long, computes longer ones
without keeping them, and starts afresh when it holds ``maxsize`` results, so
what it retains is bounded by ``maxsize`` times ``max_key_chars`` whatever
the input.

The cache is a dict whose ``__missing__`` computes the value: a hit is one
C-level dict lookup (faster than ``lru_cache``), which matters for
``looks_like_verb``, called for tens of thousands of tokens per megabyte.
"""

from __future__ import annotations

from collections.abc import Callable

MAX_KEY_CHARS = 100  # longer than any word, name or written number in honest text

CACHES: list[BoundedCache] = []  # every cache in the package (for tests and clear_caches)


class BoundedCache(dict):
    """Results of ``function`` by argument (or by tuple of arguments, ``spread``)."""

    __slots__ = ("function", "maxsize", "max_key_chars", "spread")

    def __init__(self, function: Callable, maxsize: int, max_key_chars: int, spread: bool) -> None:
        super().__init__()
        self.function, self.maxsize, self.max_key_chars, self.spread = function, maxsize, max_key_chars, spread

    def __missing__(self, key):
        if self.spread:
            value, first = self.function(*key), key[0]
        else:
            value, first = self.function(key), key
        if first is None or len(first) <= self.max_key_chars:
            if len(self) >= self.maxsize:
                self.clear()
            self[key] = value
        return value


def bounded_cache(maxsize: int, max_key_chars: int = MAX_KEY_CHARS):
    """Memoise a pure function whose first argument is None or a string; only calls with a
    first argument of at most ``max_key_chars`` characters are kept."""

    def decorate(function: Callable) -> Callable:
        spread = function.__code__.co_argcount > 1
        cache = BoundedCache(function, maxsize, max_key_chars, spread)
        CACHES.append(cache)
        if not spread:
            return cache.__getitem__  # one argument: the dict lookup is the whole call

        def call(*args):
            return cache[args]

        call.__name__, call.__doc__, call.__wrapped__ = function.__name__, function.__doc__, function
        return call

    return decorate


def clear_caches() -> None:
    for cache in CACHES:
        cache.clear()
