"""What is indexed, what a search returns, and the interface both backends implement."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

FILTER_FIELDS = ("agency", "year", "category")
MAX_PER_PAGE = 100
MAX_PAGE = 10_000  # deeper than anyone pages; keeps the offset a number every database takes


@dataclass(frozen=True)
class Publication:
    """One published item as the search index needs it (the web layer maps its model to this)."""

    id: int
    title: str
    doc_number: str = ""  # 文号, e.g. 某政发〔2024〕12号
    body: str = ""
    agency: str = ""  # 发布机构
    year: int | None = None  # 发布年份
    category: str = ""  # 主题分类 or 体裁


@dataclass(frozen=True)
class Hit:
    """A matching publication. The three text fields are safe HTML: escaped, matches in <mark>."""

    id: int
    score: float  # higher is better; comparable only within one backend
    title: str
    doc_number: str
    snippet: str


@dataclass(frozen=True)
class SearchPage:
    total: int
    hits: list[Hit] = field(default_factory=list)
    page: int = 1
    per_page: int = 20

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.per_page) if self.total else 0


@runtime_checkable
class SearchIndex(Protocol):
    def add(self, publication: Publication) -> None:
        """Index a publication; an existing one with the same id is replaced."""

    def update(self, publication: Publication) -> None: ...

    def remove(self, publication_id: int) -> None:
        """Forget a publication; unknown ids are ignored."""

    def rebuild(self, publications: Iterable[Publication], *, processes: int = 1) -> int:
        """Replace the whole index with these publications; returns how many were indexed."""

    def search(
        self,
        query: str,
        *,
        filters: Mapping[str, Any] | None = None,
        page: int = 1,
        per_page: int = 20,
    ) -> SearchPage: ...


def clean_filters(filters: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Filters that have a value, or None when a value can match nothing (year=abc from a URL).

    An unknown filter name is a programming error, not user input, so it raises.
    """
    if not filters:
        return {}
    unknown = set(filters) - set(FILTER_FIELDS)
    if unknown:
        raise ValueError(f"unknown search filter(s): {sorted(unknown)}; known: {FILTER_FIELDS}")
    cleaned = {name: value for name, value in filters.items() if value not in (None, "")}
    if "year" in cleaned:
        try:
            cleaned["year"] = int(cleaned["year"])
        except (TypeError, ValueError):
            return None
        if not 1 <= cleaned["year"] <= 9999:  # 99999999999999999999 from a URL overflows an INTEGER
            return None
    return cleaned


def clamp_page(page: int, per_page: int) -> tuple[int, int]:
    """Page numbers come from URLs: out-of-range values are brought into range, never rejected."""
    try:
        page, per_page = int(page), int(per_page)
    except (TypeError, ValueError):
        page, per_page = 1, 20
    return min(max(page, 1), MAX_PAGE), min(max(per_page, 1), MAX_PER_PAGE)
