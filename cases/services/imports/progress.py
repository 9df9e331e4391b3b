"""Progress of a running import, in the cache (Redis in production): other connections read it
while the import's transaction is still open, which a database row could not offer."""

import contextlib

from django.core.cache import cache

TIMEOUT = 6 * 60 * 60


def _key(import_id: int) -> str:
    return f"household-import:{import_id}:progress"


def progress_set(import_id: int, done: int, total: int) -> None:
    # Progress is a courtesy: an unreachable cache must not stop an import.
    with contextlib.suppress(Exception):
        cache.set(_key(import_id), {"done": done, "total": total}, TIMEOUT)


def progress_clear(import_id: int) -> None:
    with contextlib.suppress(Exception):
        cache.delete(_key(import_id))


def progress_get(import_id: int) -> dict | None:
    """{"done", "total", "percent"} while the import runs, None before it starts and after."""
    try:
        progress = cache.get(_key(import_id))
    except Exception:
        return None
    if not progress:
        return None
    total = progress["total"] or 1
    return {**progress, "percent": int(progress["done"] * 100 / total)}
