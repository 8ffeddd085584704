"""Numbers typed by hand into a URL or a form: an id a database column can hold, or None; a year.

``str.isdigit()`` alone lets through "²" (which ``int`` refuses) and 99999999999999999999 (which
SQLite and PostgreSQL refuse), so every page asks here instead.
"""

from __future__ import annotations

MAX_ID = 2**63 - 1  # the largest BIGINT / SQLite INTEGER


def id_from(value: str | None) -> int | None:
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def year_from(value: str | None, *, lowest: int, highest: int, default: int) -> int:
    """A year typed by hand, kept within ``lowest``..``highest``; ``default`` when it is no number at all."""
    number = id_from(value)
    return default if number is None else min(max(number, lowest), highest)
