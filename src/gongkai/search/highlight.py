"""Mark query words in the ORIGINAL text: HTML-escaped, matches wrapped in <mark>.

Highlighting happens here rather than in the engines because the engines only know the
segmented, folded copy of the text; doing it once in Python also makes both backends
return exactly the same snippets.
"""

from __future__ import annotations

import html
import re
import unicodedata

SNIPPET_WIDTH = 120
_ELLIPSIS = "…"


def _fold_with_positions(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, for each folded character, the index of its original character.

    ``None`` means the folding kept every position (the usual case), which avoids a Python
    loop over long bodies.
    """
    if unicodedata.is_normalized("NFKC", text):
        lowered = text.lower()
        if len(lowered) == len(text):
            return lowered, None
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char).lower()
        pieces.append(folded)
        origin.extend([index] * len(folded))
    return "".join(pieces), origin


def match_spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) spans of the needles in ``text``, folding as the index does."""
    needles = sorted({n for n in needles if n}, key=len, reverse=True)
    if not text or not needles:
        return []
    folded, origin = _fold_with_positions(text)
    pattern = re.compile("|".join(re.escape(n) for n in needles))
    spans: list[tuple[int, int]] = []
    for found in pattern.finditer(folded):
        start, end = found.start(), found.end()
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        if spans and start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out: list[str] = []
    cursor = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        out.append(html.escape(text[cursor:span_start]))
        out.append("<mark>" + html.escape(text[span_start:span_end]) + "</mark>")
        cursor = span_end
    out.append(html.escape(text[cursor:end]))
    return "".join(out)


def highlight(text: str, needles: list[str]) -> str:
    """The whole text, escaped, with every match marked (for titles and 文号)."""
    return _render(text, match_spans(text, needles), 0, len(text))


def snippet(text: str, needles: list[str], width: int = SNIPPET_WIDTH) -> str:
    """About ``width`` characters of the text around its first match, escaped and marked."""
    text = " ".join(text.split())  # line breaks and runs of spaces mean nothing in a snippet
    spans = match_spans(text, needles)
    start = 0
    if spans:
        # Some context before the first match, and the rest of the window after it.
        start = max(0, min(spans[0][0] - width // 4, len(text) - width))
    end = min(len(text), start + width)
    rendered = _render(text, spans, start, end)
    return (_ELLIPSIS if start > 0 else "") + rendered + (_ELLIPSIS if end < len(text) else "")
