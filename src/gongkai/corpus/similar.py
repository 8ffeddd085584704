"""Near-duplicate report sections, found with datasketch's MinHash and LSH.

A section's text is folded (whitespace and punctuation dropped: Chinese has no word spaces,
and a copied passage is often re-punctuated) and cut into overlapping SHINGLE-character
pieces. Two sections whose sets of pieces share at least SIMILAR_AT of their union (Jaccard)
are near-duplicates. One edited character removes up to SHINGLE pieces from each side, so in
an 80-character section three edits already bring the Jaccard down to about 0.67 (0.8 would
miss them); distinct sections in the same official vocabulary, measured over the seed reports
and ../shared/corpus (平潭 2018–2022, one agency's own successive years included), share at most
0.06. MinHashLSH, tuned lower (LSH_AT), proposes the candidate pairs without comparing every
pair; each candidate is then checked by the exact Jaccard of the two texts, so a reported
similarity is never an estimate.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

SHINGLE = 5
SIMILAR_AT = 0.5     # exact Jaccard of the 5-character pieces at or above which two sections match
LSH_AT = 0.3         # the index's threshold: with NUM_PERM 128 (37 bands of 3) a pair at 0.5 is
NUM_PERM = 128       # proposed with probability 0.993, at 0.6 0.9999, one at 0.1 with 0.036
ESTIMATE_AT = 0.35   # candidates whose MinHash estimate is below it are dropped unverified (3 sd under 0.5)
MIN_CHARS = 80       # shorter sections (无。, 本机关无其他需要报告的事项) are boilerplate, never compared
SECTIONS = ("overview", "problems", "other")
_FOLD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Section:
    report_id: str
    year: int | None
    agency_key: str | None
    key: str          # overview | problems | other
    text: str         # folded


@dataclass(frozen=True)
class Match:
    section: Section
    kind: str          # other_agency (any year) | previous_year (the same agency_key, year - 1)
    other: Section     # the most similar such section
    similarity: float  # exact Jaccard of the two texts' pieces
    agencies: int      # other_agency: how many other agencies have a matching section


def fold(text: str | None) -> str:
    return _FOLD.sub("", text or "").lower()


def shingles(text: str) -> set[str]:
    return {text[i:i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def sections_of(rows: Iterable[dict]) -> list[Section]:
    """The comparable sections of report rows (report_id, year, agency_key, overview, problems, other)."""
    out = []
    for row in rows:
        for key in SECTIONS:
            text = fold(row.get(key))
            if len(text) >= MIN_CHARS:
                out.append(Section(row["report_id"], row.get("year"), row.get("agency_key"), key, text))
    return out


def near_duplicates(sections: list[Section]) -> list[Match]:
    """For each section, its best match in another agency's report and in its own previous year."""
    if not sections:
        return []
    import numpy as np
    from datasketch import MinHash, MinHashLSH

    # Identical folded texts (a shared template) are one entry of the index, so that a text
    # used by thousands of reports costs one signature and no pair-by-pair comparison.
    groups: dict[str, list[Section]] = {}
    for section in sections:
        groups.setdefault(section.text, []).append(section)
    texts = list(groups)
    members = [sorted(groups[text], key=lambda s: s.report_id) for text in texts]
    pieces = [shingles(text) for text in texts]
    lsh = MinHashLSH(threshold=LSH_AT, num_perm=NUM_PERM)
    signatures = MinHash.bulk(([p.encode() for p in s] for s in pieces), num_perm=NUM_PERM,
                                hashfunc=zlib.crc32)  # deterministic, far faster than SHA-1
    with lsh.insertion_session() as session:
        for number, signature in enumerate(signatures):
            session.insert(number, signature, check_duplication=False)
    agencies = [{s.agency_key for s in group} for group in members]
    by_year = [{} for _ in members]  # (agency_key, year) -> its first section, per text
    for index, group in zip(by_year, members, strict=True):
        for section in group:
            index.setdefault((section.agency_key, section.year), section)
    values = np.vstack([signature.hashvalues for signature in signatures])
    exact: dict[tuple[int, int], float] = {}  # each pair's Jaccard computed once, for both sides
    matches = []
    for number, signature in enumerate(signatures):
        candidates = np.array(lsh.query(signature))
        # The estimate (share of equal MinHash values) drops the index's far misses before the exact count.
        candidates = candidates[(values[candidates] == values[number]).mean(axis=1) >= ESTIMATE_AT]
        near = []
        for other in candidates.tolist():
            pair = (min(number, other), max(number, other))
            if pair not in exact:
                exact[pair] = 1.0 if other == number else jaccard(pieces[number], pieces[other])
            if exact[pair] >= SIMILAR_AT:
                near.append((-exact[pair], other))
        near = [(-negative, other) for negative, other in sorted(near)]
        near_agencies = set().union(*(agencies[other] for _, other in near))
        for section in members[number]:
            copied = next(((sim, s) for sim, other in near for s in members[other]
                           if s.agency_key != section.agency_key), None)
            if copied:
                matches.append(Match(section, "other_agency", copied[1], copied[0],
                                     len(near_agencies - {section.agency_key})))
            if section.year is not None:
                wanted = (section.agency_key, section.year - 1)
                repeated = next(((sim, by_year[other][wanted]) for sim, other in near if wanted in by_year[other]), None)
                if repeated:
                    matches.append(Match(section, "previous_year", repeated[1], repeated[0], 0))
    return matches



# ---------------------------------------------------------------- two matching sections side by side

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n")


def sentences(text: str | None) -> list[str]:
    """A section's sentences as printed (ending at 。！？； or a line break), blank ones dropped."""
    return [part.strip() for part in _SENTENCE_END.split(text or "") if part.strip()]


@dataclass(frozen=True)
class AlignedRow:
    left: str | None   # None: the right sentence has no counterpart
    right: str | None
    similarity: float  # exact Jaccard of the two folded sentences (1.0 identical); 0.0 unmatched


def sentence_similarity(a: str, b: str) -> float:
    """Jaccard of the folded sentences' pieces, 1.0 when they fold to the same text, 0.0 below SIMILAR_AT."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    if fa == fb:
        return 1.0
    if min(len(fa), len(fb)) < SHINGLE:
        return 0.0
    value = jaccard(shingles(fa), shingles(fb))
    return value if value >= SIMILAR_AT else 0.0


def aligned_sentences(a: str | None, b: str | None) -> list[AlignedRow]:
    """The sentences of two sections side by side, in order.

    Matching sentences (``sentence_similarity`` above 0) face each other; of all ways to pair
    them in order, the one with the largest total similarity is kept (an LCS over sentences),
    so a moved or inserted paragraph leaves the rest aligned.  Sentences without a
    counterpart stand alone on their side.
    """
    left, right = sentences(a), sentences(b)
    n, m = len(left), len(right)
    sim = [[sentence_similarity(x, y) for y in right] for x in left]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = best[i + 1][j + 1] + sim[i][j] if sim[i][j] else -1.0
            best[i][j] = max(best[i + 1][j], best[i][j + 1], take)
    rows, i, j = [], 0, 0
    while i < n or j < m:
        if i < n and j < m and sim[i][j] and best[i][j] == best[i + 1][j + 1] + sim[i][j]:
            rows.append(AlignedRow(left[i], right[j], sim[i][j]))
            i, j = i + 1, j + 1
        elif i < n and (j == m or best[i][j] == best[i + 1][j]):
            rows.append(AlignedRow(left[i], None, 0.0))
            i += 1
        else:
            rows.append(AlignedRow(None, right[j], 0.0))
            j += 1
    return rows
