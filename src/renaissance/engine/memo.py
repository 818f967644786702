"""Bounded memos: a value computed once per key, until the memo is full and starts over."""

from __future__ import annotations


def remember(memo: dict, key, compute, size: int):
    """``memo[key]``, computed by ``compute()`` (which never returns None) when absent.

    When ``memo`` already holds ``size`` keys it is cleared first, so it stays bounded
    whatever the keys a long session produces. ``memo`` is read once per call: another
    thread may clear it meanwhile, and the value is then computed again, never lost.
    """
    value = memo.get(key)
    if value is None:
        if len(memo) >= size:
            memo.clear()
        value = memo[key] = compute()
    return value
