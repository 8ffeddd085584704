"""Plain text of the portal (公开指南, 公开制度) as headed blocks; the template escapes every line."""

from __future__ import annotations

import re
from dataclasses import dataclass

# 一、 二、 … are section headings, （一） （二） … their sub-headings: the way Chinese official texts are written.
_HEADING = re.compile(r"^[一二三四五六七八九十]+、\S")
_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)]\S")
_LONGEST_HEADING = 30  # a longer numbered line is a paragraph that happens to start with a number


@dataclass(frozen=True)
class TextBlock:
    kind: str  # "heading" | "subheading" | "paragraph"
    text: str


def text_blocks(text: str) -> list[TextBlock]:
    """Each non-empty line of ``text`` as a block; short numbered lines become headings."""
    blocks = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        kind = "paragraph"
        if len(line) <= _LONGEST_HEADING and _HEADING.match(line):
            kind = "heading"
        elif len(line) <= _LONGEST_HEADING and _SUBHEADING.match(line):
            kind = "subheading"
        blocks.append(TextBlock(kind, line))
    return blocks

