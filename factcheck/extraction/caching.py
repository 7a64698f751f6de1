"""Memo caches whose keys are bounded in length.

The rules cache a few pure functions of short strings (a word, a claimant's
name, a written number). Their arguments come from the text, and a hostile
text can make one arbitrarily long (a 1 MB "word", a number phrase padded
with spaces); an ``lru_cache`` would then keep that string alive for the
life of the worker. ``bounded_cache`` caches only calls whose key (the first
argument) is at most ``max_key_chars`` long and computes longer ones
directly, so what the caches retain is bounded by ``maxsize`` times
``max_key_chars`` whatever the input.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, update_wrapper

MAX_KEY_CHARS = 100  # longer than any word, name or written number in honest text

CACHES: list[Callable] = []  # every bounded cache in the package (for tests and cache_clear)


def bounded_cache(maxsize: int, max_key_chars: int = MAX_KEY_CHARS):
    """Like ``functools.lru_cache(maxsize)``, but only for calls whose first argument is
    None or a string of at most ``max_key_chars`` characters."""

    def decorate(function: Callable) -> Callable:
        cached = lru_cache(maxsize=maxsize)(function)

        if function.__code__.co_argcount == 1:  # the common case, without packing arguments

            def wrapper(key):
                if key is not None and len(key) > max_key_chars:
                    return function(key)
                return cached(key)

        else:

            def wrapper(key, *rest):
                if key is not None and len(key) > max_key_chars:
                    return function(key, *rest)
                return cached(key, *rest)

        update_wrapper(wrapper, function)
        wrapper.cache_info = cached.cache_info
        wrapper.cache_clear = cached.cache_clear
        wrapper.lru_cache = cached  # the underlying cache (tests read its keys)
        wrapper.max_key_chars = max_key_chars
        CACHES.append(wrapper)
        return wrapper

    return decorate
