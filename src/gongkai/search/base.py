"""The search flow both backends share; a backend only supplies the SQL."""

from __future__ import annotations

import multiprocessing
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .highlight import highlight, snippet
from .model import Hit, Publication, SearchPage, clamp_page, clean_filters
from .text import fold, highlight_needles, load_segmenter, query_terms, segment


@dataclass(frozen=True)
class SegmentedPublication:
    publication: Publication
    title: str
    doc_number: str
    body: str


@dataclass(frozen=True)
class Row:
    """One row of a result page as a backend returns it."""

    id: int
    score: float
    title: str
    doc_number: str
    body: str


def segment_publication(publication: Publication) -> SegmentedPublication:
    return SegmentedPublication(
        publication, segment(publication.title), segment(publication.doc_number), segment(publication.body)
    )


def segment_publications(publications: Iterable[Publication], processes: int = 1) -> Iterator[SegmentedPublication]:
    """Segment many publications, on several processes if asked: jieba is the slow part of a rebuild."""
    if processes <= 1:
        yield from map(segment_publication, publications)
        return
    load_segmenter()  # once, before forking, so that workers inherit the loaded dictionary
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        yield from pool.imap(segment_publication, publications, chunksize=256)


def wants_substring_fallback(typed: str) -> bool:
    # Only for one typed part (several parts are several words, not one string to look for),
    # and two characters are the shortest useful substring (复议, 低保).
    return len(typed) >= 2 and len(typed.split()) == 1


class IndexBase:
    """search() for every backend: parse the query, let the backend page through matches in
    SQL, fall back to a title/文号 substring lookup when the words match nothing, highlight."""

    def search(
        self,
        query: str,
        *,
        filters: Mapping[str, Any] | None = None,
        page: int = 1,
        per_page: int = 20,
    ) -> SearchPage:
        page, per_page = clamp_page(page, per_page)
        terms = query_terms(query)
        usable_filters = clean_filters(filters)
        if not terms or usable_filters is None:
            return SearchPage(total=0, hits=[], page=page, per_page=per_page)
        offset = (page - 1) * per_page
        total, rows = self._match_words(terms, usable_filters, per_page, offset)
        needles = highlight_needles(terms)
        if total == 0:
            # jieba may cut a title or 文号 differently from the query (a name, a new word, 民发 in
            # 某民发〔2024〕3号): look for the query as typed inside them before answering "nothing".
            # Control characters (a NUL from a URL) can match no title and PostgreSQL rejects them.
            typed = "".join(ch for ch in (query or "") if not unicodedata.category(ch).startswith("C")).strip()
            if wants_substring_fallback(typed):
                total, rows = self._match_substring(typed, usable_filters, per_page, offset)
                needles = [fold(typed)]
        hits = [
            Hit(
                id=row.id,
                score=row.score,
                title=highlight(row.title, needles),
                doc_number=highlight(row.doc_number, needles),
                snippet=snippet(row.body, needles),
            )
            for row in rows
        ]
        return SearchPage(total=total, hits=hits, page=page, per_page=per_page)

    def update(self, publication: Publication) -> None:
        self.add(publication)

    # What a backend implements -------------------------------------------------------------

    def add(self, publication: Publication) -> None:
        raise NotImplementedError

    def _match_words(
        self, terms: list[str], filters: dict[str, Any], limit: int, offset: int
    ) -> tuple[int, list[Row]]:
        """(total matches, the rows of this page): every term must match, best first, then by id."""
        raise NotImplementedError

    def _match_substring(
        self, text: str, filters: dict[str, Any], limit: int, offset: int
    ) -> tuple[int, list[Row]]:
        """(total, rows) of publications whose title or 文号 contains ``text``, by id."""
        raise NotImplementedError


def like_pattern(text: str) -> str:
    """A LIKE pattern for "contains text", with LIKE's own wildcards escaped (ESCAPE '\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
