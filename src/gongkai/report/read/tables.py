"""Text of a report → the cells of tables 二、三、四.

The reader is driven by the taxonomy's labels, not by the layout: each row's label is
found in order, and the numbers between it and the next label are that row's cells.
That one rule reads Word text exports (one cell per line), tab and pipe rows, Markdown
tables, ``pdftotext -layout`` output and crawler dumps flattened onto one line, because
in all of them a row's label comes before its numbers.  What layouts disagree on —
separators, wrapped labels, run-together digits — is handled in ``text`` and
``numbers``.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field
from functools import lru_cache

from .. import taxonomy as tx
from ..model import Issue
from .numbers import RowShape, Token, agreed, row_candidates, satisfies, tokenize, trim_blanks
from .solve import Rule, narrow
from .text import GAP, blank_notes, cue_pattern, find_cue, find_earliest

TABLE3_SHAPE = RowShape(7, sums=((tuple(range(6)), 6),))
TABLE4_SHAPE = RowShape(15, sums=(((0, 1, 2, 3), 4), ((5, 6, 7, 8), 9), ((10, 11, 12, 13), 14)))
# After a row's numbers, a run of prose this long ends the row (it is the next paragraph).
_PROSE_RUN = re.compile(r"[\u4e00-\u9fff，。、；：“”]{12,}")
# Cues that start table 四, and the section headings that may follow the tables.
APPEAL_HEADER_WORDS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "复议后起诉", "未经复议直接起诉")


@dataclass
class RowRead:
    key: str
    found: bool  # was the row's label found in the text
    tokens: list[Token] = field(default_factory=list)
    readings: list[tuple] = field(default_factory=list)
    values: tuple | None = None
    loose: bool = False  # readings are windows of a line with extra cells (see loose_windows)
    orphan: bool = False  # the numbers are a row line without a label (see orphan_rows)


@dataclass
class Anchor:
    key: str
    start: int  # where the label (with its numbering) starts
    end: int  # where the label ends and the cells begin


def _numbering_start(text: str, anchor_start: int, number: str, floor: int) -> int:
    """Move an anchor's start back over its own numbering (``2.`` before ``重复申请``).

    The cue found may begin inside the label (``逾期不补正`` in ``1.申请人无正当理由逾期不补正``),
    so a few label characters may stand between the numbering and the cue.
    """
    if not number or text[anchor_start].isdigit():
        return anchor_start  # the cue carries its own numbering (3其他)
    window_start = max(floor, anchor_start - 24)
    window = text[window_start:anchor_start]
    # Glued to digits (a crawler dump's 00000002.其他…) the numbering needs its dot;
    # otherwise the last digit of the previous row's total would be taken for it.
    match = re.search(rf"(?:(?<!\d){number}\s*[.、]?|{number}\s*[.、])\s*$", window) or \
        re.search(rf"{number}\s*[.、]\s*[\u4e00-\u9fff“”\"]{{1,12}}$", window)
    return window_start + match.start() if match else anchor_start


def _segment_end(blanked: str, start: int, end: int, *, last: bool) -> int:
    """For the last row of a table: stop at the first paragraph of prose after its numbers."""
    if not last:
        return end
    first_number = re.search(r"\d", blanked[start:end])
    if not first_number:
        return end
    prose = _PROSE_RUN.search(blanked, start + first_number.start(), end)
    return prose.start() if prose else end


# A row line may carry a stray extra cell or two (a misaligned export); more is another row.
LOOSE_EXTRA = 2


def tied_tokens(text: str, label_end: int, tokens: list[Token], size: int, *,
                previous_empty: bool = False) -> list[Token] | None:
    """The tokens that the layout ties to the label ending at ``label_end``, or None.

    A row's numbers follow its label.  When the segment holds more numbers than the row
    has cells, only a first row printed on the label's own line, with the rest on later
    lines, is the label's (a converter's orphan row or a stray digit follows); anything
    else — numbers of several rows run into one segment, pdfminer's column of numbers
    after a column of labels — ties no number to this label.  When the label before this
    one has no numbers at all and this row's numbers are not on its own line, they may be
    either label's: not tied either.

    One exception is left to the caller: up to ``LOOSE_EXTRA`` cells too many, all on the
    label's line, come back whole (see ``loose_windows``).
    """
    tokens = trim_blanks(tokens, size)
    if not tokens:
        return tokens
    last = tokens[min(len(tokens), size) - 1]
    on_label_line = "\n" not in text[label_end:last.end]
    if len(tokens) <= size:
        return None if previous_empty and not on_label_line else tokens
    if on_label_line and _row_line_then_more(text, tokens, size):
        return tokens[:size]
    if len(tokens) <= size + LOOSE_EXTRA and "\n" not in text[label_end:tokens[-1].end]:
        return tokens
    return None


def _row_line_then_more(text: str, tokens: list[Token], size: int) -> bool:
    """Are the first ``size`` tokens one line, with the tokens after them on later lines?"""
    return "\n" not in text[tokens[0].start:tokens[size - 1].end] and \
        "\n" in text[tokens[size - 1].end:tokens[size].start]


def loose_windows(tokens: list[Token], shape: RowShape) -> list[tuple]:
    """Readings of a row line with a stray cell or two: each run of ``shape.size`` cells that adds up.

    These are only candidates: a loose row is accepted where the rest of the table's
    arithmetic gives the same numbers (``_resolve_table3``), never because a window adds up.
    """
    readings = []
    for start in range(len(tokens) - shape.size + 1):
        readings += [r for r in row_candidates(tokens[start:start + shape.size], shape, allow_split=False)
                     if satisfies(r, shape) and r not in readings]
    return readings


def _untied_issue(where: str, label: str, tokens: list[Token]) -> Issue:
    return Issue("read.untied", "warning", where,
                 f"{label}的数字无法确定属于哪一行（读到「{_show(tokens)}」，数字与行标签没有对齐），留空")


# ---------------------------------------------------------------- table 三

@dataclass
class ApplicationsRead:
    found: bool
    single_other: bool
    rows: dict[str, RowRead]
    start: int
    end: int
    findings: list[Issue]


def locate_applications(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of table 三: from the 本年新收 row to the start of table 四 (or ``end``)."""
    first = find_cue(text, tx.APPLICATION_ROWS["new"].cues[:2], start, end)
    if first is None:
        first = find_cue(text, tx.APPLICATION_ROWS["new"].cues[2:], start, end)
    if first is None:
        return None
    return first.start(), end


def read_applications(text: str, start: int, end: int, *, allow_split: bool | None = None) -> ApplicationsRead:
    blanked = blank_notes(text)
    # （六）其他处理 has three sub-rows in the 2021 format and one row in 2019's.
    six = find_cue(text, ("其他处理",), start, end)
    total_cue = find_cue(text, tx.APPLICATION_ROWS["total"].cues, six.end() if six else start, end)
    probe_end = total_cue.start() if total_cue else end
    single_other = six is not None and find_cue(text, ("逾期不补正", "缴纳费用"), six.end(), probe_end) is None
    keys = tx.application_row_keys("2019" if single_other else "2021")

    anchors: list[Anchor] = []
    position = start
    for key in keys:
        row = tx.APPLICATION_ROWS[key]
        # The earliest cue wins: a wrapped label is found by its first line, before the
        # numbers, not by a later fragment of it.
        match = _find_label(text, row, position, end)
        if match is None:
            continue
        floor = anchors[-1].end if anchors else start
        anchors.append(Anchor(key, _numbering_start(text, match.start(), row.number, floor), match.end()))
        position = match.end()

    segments = {}
    for index, anchor in enumerate(anchors):
        last = index == len(anchors) - 1
        seg_end = anchors[index + 1].start if not last else end
        seg_end = _segment_end(blanked, anchor.end, seg_end, last=last)
        segments[anchor.key] = tokenize(blanked, anchor.end, seg_end)

    if allow_split is None:
        allow_split = _looks_run_together(segments.values(), TABLE3_SHAPE.size)
    if not allow_split:
        _place_by_column(blanked, segments, TABLE3_SHAPE.size)
    findings: list[Issue] = []
    rows: dict[str, RowRead] = {}
    previous_empty = {anchor.key: index > 0 and not segments[anchors[index - 1].key]
                      for index, anchor in enumerate(anchors)}
    ends = {anchor.key: anchor.end for anchor in anchors}
    orphans = {} if allow_split else orphan_rows(blanked, anchors, segments, keys, start, end, TABLE3_SHAPE.size)
    for key in keys:
        if key in orphans:
            readings = row_candidates(orphans[key], TABLE3_SHAPE, allow_split=False)
            rows[key] = RowRead(key, True, orphans[key], readings, orphan=True)
            continue
        if key not in segments:
            rows[key] = RowRead(key, found=False)
            continue
        tokens = tied_tokens(blanked, ends[key], segments[key], TABLE3_SHAPE.size, previous_empty=previous_empty[key])
        if tokens is None:
            findings.append(_untied_issue(f"applications.{key}", tx.cell_label("applications", key), segments[key]))
            rows[key] = RowRead(key, True, segments[key], [], tuple(None for _ in range(TABLE3_SHAPE.size)))
            continue
        if len(tokens) > TABLE3_SHAPE.size:
            rows[key] = RowRead(key, True, segments[key], loose_windows(tokens, TABLE3_SHAPE), loose=True)
            continue
        readings = row_candidates(tokens, TABLE3_SHAPE, allow_split=allow_split)
        rows[key] = RowRead(key, True, segments[key], readings)
    outcome_keys = tx.outcome_keys("2021", single_other=single_other)
    _resolve_table3(rows, outcome_keys, findings)
    _confirm_orphan_rows(rows, outcome_keys, findings)
    return ApplicationsRead(True, single_other, rows, start, end, findings)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def orphan_rows(text: str, anchors: list[Anchor], segments: dict[str, list[Token]], keys, start: int, end: int,
                size: int) -> dict[str, list[Token]]:
    """Rows whose numbers a converter printed as a line of their own, away from the label.

    PDF-to-Markdown tools split a table into fragments: some rows keep label and numbers
    in one line, others come out as a line of bare numbers with the label printed
    elsewhere as loose text.  Between two rows printed whole, the rows of the taxonomy
    that lie between them take the bare lines found between them, in order — but only
    when there are exactly as many lines as rows, each line holding exactly one row's
    cells.  Anything else is left to the ordinary reading (and stays null).
    """
    whole: list[tuple[int, str]] = []  # (line start, key) of rows printed with label and numbers on one line
    for anchor in anchors:
        tokens = trim_blanks(segments.get(anchor.key, []), size)
        if len(tokens) >= size and "\n" not in text[anchor.end:tokens[size - 1].end]:
            whole.append((text.rfind("\n", 0, anchor.start) + 1, anchor.key))
    bare: list[tuple[int, list[Token]]] = []
    position = start
    while position < end:
        line_end = text.find("\n", position, end)
        line_end = end if line_end < 0 else line_end
        line = text[position:line_end]
        if not _CJK.search(line):
            tokens = trim_blanks(tokenize(text, position, line_end), size)
            if len(tokens) == size:
                bare.append((position, tokens))
        position = line_end + 1
    if not bare or len(whole) < 2:
        return {}
    order = {key: index for index, key in enumerate(keys)}
    assigned: dict[str, list[Token]] = {}
    for (line_a, key_a), (line_b, key_b) in itertools.pairwise(whole):
        if order[key_b] <= order[key_a] or line_b <= line_a:
            continue  # printed out of the taxonomy's order: nothing to pair by position
        missing = keys[order[key_a] + 1:order[key_b]]
        lines = [tokens for line, tokens in bare if line_a < line < line_b]
        if missing and len(lines) == len(missing):
            assigned.update(zip(missing, lines, strict=True))
    return assigned


def _confirm_orphan_rows(rows: dict[str, RowRead], outcome_keys, findings: list[Issue]) -> None:
    """Rows paired with bare number lines stand only if the table's column rules then hold."""
    paired = [key for key, row in rows.items() if row.orphan]
    if not paired:
        return
    complete = {key: row.values for key, row in rows.items() if row.values is not None and None not in row.values}
    if _columns_hold(complete, outcome_keys):
        return
    for key in paired:
        rows[key].values = tuple(None for _ in range(TABLE3_SHAPE.size))
        findings.append(Issue(
            "read.untied", "warning", f"applications.{key}",
            f"{tx.cell_label('applications', key)}的数字印在标签之外（读到「{_show(rows[key].tokens)}」），"
            "按位置对应后表三的勾稽关系不成立，留空"))


def _column_of(text: str, token: Token) -> float:
    line_start = text.rfind("\n", 0, token.start) + 1
    return (token.start + token.end) / 2 - line_start


def _on_one_line(text: str, tokens: list[Token]) -> bool:
    return bool(tokens) and "\n" not in text[tokens[0].start:tokens[-1].end]


def _place_by_column(text: str, segments: dict[str, list[Token]], size: int) -> None:
    """Put blank cells back into rows of space-aligned text (``pdftotext -layout``).

    A blank cell leaves no token, so a row with fewer numbers than cells is matched to
    the column positions of the table's complete rows; rows that do not line up are left
    alone (and stay unread).
    """
    complete = [tokens for tokens in segments.values() if len(tokens) == size and _on_one_line(text, tokens)]
    if len(complete) < 3:
        return
    centers = [statistics.median(_column_of(text, row[i]) for row in complete) for i in range(size)]
    spacing = min(b - a for a, b in itertools.pairwise(centers))
    if spacing <= 1:
        return
    for key, tokens in segments.items():
        if not 0 < len(tokens) < size or not _on_one_line(text, tokens):
            continue
        placed: dict[int, Token] = {}
        for token in tokens:
            column = min(range(size), key=lambda i: abs(centers[i] - _column_of(text, token)))
            if abs(centers[column] - _column_of(text, token)) > spacing / 2 or column in placed:
                break
            placed[column] = token
        else:
            segments[key] = [placed.get(i, Token(None)) for i in range(size)]


@lru_cache(maxsize=64)
def _label_prefixes(row: tx.Row) -> tuple[str, ...]:
    """The start of the row's label: in ``pdftotext -layout`` output a long label wraps
    around its numbers, so only its first line is found whole."""
    label = tx.outcome_short_label(row.key)
    return tuple(label[:n] for n in (6, 5, 4) if len(label) > n + 1)


_NEXT_CJK = re.compile(r"[\W_]*([\u4e00-\u9fff])")


@lru_cache(maxsize=1)
def _short_labels() -> dict[str, str]:
    return {key: tx.outcome_short_label(key) for key in tx.APPLICATION_ROWS}


def _continues_another_label(text: str, end: int, prefix: str, key: str) -> bool:
    """Does the text after a prefix match go on as another row's label (属于行政 + 查 is 8, not 7)?"""
    following = _NEXT_CJK.match(text, end)
    if following is None:
        return False
    longer = prefix + following.group(1)
    return any(longer in label for other, label in _short_labels().items() if other != key)


def _find_label(text: str, row: tx.Row, start: int, end: int) -> re.Match[str] | None:
    """The earliest place of the row's label: a cue, or a prefix of the label that does not
    go on as another row's label."""
    best = find_earliest(text, row.cues, start, end)
    for prefix in _label_prefixes(row):
        for match in cue_pattern(prefix).finditer(text, start, best.start() if best else end):
            if not _continues_another_label(text, match.end(), prefix, row.key):
                if best is None or match.start() < best.start():
                    best = match
                break
    return best


def _looks_run_together(segments, size: int) -> bool:
    """True when most rows have fewer tokens than cells: digits were run together."""
    segments = [s for s in segments if s]
    if not segments:
        return False
    short = sum(1 for s in segments if len(s) < size)
    return short * 2 > len(segments)


def _resolve_table3(rows: dict[str, RowRead], outcome_keys, findings: list[Issue]) -> None:
    """Pick each row's reading; use the column rules where a row alone is ambiguous."""
    blank = tuple(None for _ in range(TABLE3_SHAPE.size))
    fixed = {k: r.readings[0] for k, r in rows.items() if len(r.readings) == 1 and not r.loose}
    for key, values in fixed.items():
        rows[key].values = values
    ambiguous = [k for k, r in rows.items() if len(r.readings) > 1 and not r.loose]
    if ambiguous:
        choices = {k: r.readings for k, r in rows.items() if r.readings and not r.loose}
        narrowed = narrow(choices, table3_rules(outcome_keys))
        for key in ambiguous:
            rows[key].values = narrowed[key] or blank
            if None in rows[key].values:
                findings.append(Issue(
                    "read.ambiguous", "warning", f"applications.{key}",
                    f"{tx.cell_label('applications', key)}的数字有多种读法（读到「{_show(rows[key].tokens)}」），"
                    "无法确定的单元格留空"))
    _confirm_loose_rows(rows, outcome_keys)
    for key, row in rows.items():
        if row.values is not None:
            continue
        row.values = blank
        if row.found:
            findings.append(Issue(
                "read.unreadable", "warning", f"applications.{key}",
                f"{tx.cell_label('applications', key)}的数字无法读出（读到「{_show(row.tokens)}」），留空"))


def _confirm_loose_rows(rows: dict[str, RowRead], outcome_keys) -> None:
    """A loose row takes the window that the table's arithmetic derives from the other rows.

    An outcome row is （七）总计 less the other outcomes; （七）总计 is the sum of the
    outcomes; 一、二、（七）、四 each follow from the other three (C1).  Derived values are
    compared with the row's windows: the row is read only if a window equals them.
    """
    def known(key):
        row = rows.get(key)
        return row.values if row is not None and row.values is not None and None not in row.values else None

    def derived(key):
        groups = []
        if key in outcome_keys:
            groups.append([("total", 1)] + [(k, -1) for k in outcome_keys if k != key])
        if key == "total":
            groups.append([(k, 1) for k in outcome_keys])
        balance = {"new": 1, "carried_over": 1, "total": -1, "carried_forward": -1}
        if key in balance:
            groups.append([(k, -sign * balance[key]) for k, sign in balance.items() if k != key])
        for group in groups:
            values = [known(k) for k, _ in group]
            if None not in values:
                return tuple(sum(sign * v[c] for (_, sign), v in zip(group, values, strict=True))
                             for c in range(TABLE3_SHAPE.size))
        return None

    pending = [k for k, r in rows.items() if r.loose and r.values is None]
    while pending:
        progress = False
        for key in list(pending):
            target = derived(key)
            if target is not None:
                pending.remove(key)
                progress = True
                if target in rows[key].readings:
                    rows[key].values = target
        if not progress:
            return


def table3_rules(outcome_keys) -> list[Rule]:
    """C1 (一 + 二 = （七） + 四) and C3 (（七） = the outcomes), for each of the seven columns."""
    rules = []
    for column in range(TABLE3_SHAPE.size):
        rules.append(Rule((("new", column, 1), ("carried_over", column, 1),
                           ("total", column, -1), ("carried_forward", column, -1))))
        rules.append(Rule((("total", column, -1), *((key, column, 1) for key in outcome_keys))))
    return rules


def _columns_hold(values: dict[str, tuple], outcome_keys) -> bool:
    """Do the official column rules hold wherever every cell they need is known?"""
    needed = ("new", "carried_over", "total", "carried_forward")
    for column in range(7):
        if all(k in values for k in needed):
            cells = [values[k][column] for k in needed]
            if None not in cells and cells[0] + cells[1] != cells[2] + cells[3]:
                return False
        if "total" in values and all(k in values for k in outcome_keys):
            parts = [values[k][column] for k in outcome_keys]
            total = values["total"][column]
            if total is not None and None not in parts and sum(parts) != total:
                return False
    return True


# ---------------------------------------------------------------- table 二

@dataclass
class ProactiveRead:
    found: bool
    format: str | None  # "2021" or "2019" by its column headers, None if unknown
    rows: dict[str, tuple | None]
    findings: list[Issue]


_BLOCK = re.compile(r"第" + GAP.join("二十条") + r"[^第]{0,3}第?[^项]{0,6}项")


def proactive_format(text: str, start: int, end: int) -> str | None:
    if find_earliest(text, tx.PROACTIVE_2019_HEADERS, start, end):
        return "2019"
    if find_earliest(text, tx.PROACTIVE_2021_HEADERS, start, end):
        return "2021"
    return None


def read_proactive(text: str, start: int, end: int, *, allow_split: bool) -> ProactiveRead:
    blanked = blank_notes(text)
    first_block = _BLOCK.search(text, start, end)
    if first_block is None:
        return ProactiveRead(False, None, {}, [])
    start = first_block.start()
    fmt = proactive_format(text, start, end) or "2021"
    specs = tx.proactive_rows(fmt)
    # Anchors: every 第二十条第（X）项 block heading and every row label, in text order.
    stops = [m.start() for m in _BLOCK.finditer(text, start, end)]
    # Row labels are distinct words, so each is looked for from the table's start: some
    # converted layouts print a block's rows before an earlier block.
    anchors: list[Anchor] = []
    for spec in specs:
        match = find_cue(text, spec.cues, start, end)
        if match is not None:
            anchors.append(Anchor(spec.key, match.start(), match.end()))
    anchors.sort(key=lambda anchor: anchor.start)
    boundaries = sorted({a.start for a in anchors} | set(stops) | {end})
    rows: dict[str, tuple | None] = {spec.key: None for spec in specs}
    findings: list[Issue] = []
    table = "proactive" if fmt == "2021" else "proactive_2019"
    for index, anchor in enumerate(anchors):
        spec = next(s for s in specs if s.key == anchor.key)
        seg_end = next(b for b in boundaries if b > anchor.end - 1 and b >= anchor.end)
        last = index == len(anchors) - 1
        seg_end = _segment_end(blanked, anchor.end, seg_end, last=bool(last))
        tokens = tokenize(_strip_units(blanked[anchor.end:seg_end]))
        shape = proactive_shape(spec)
        tied = tied_tokens(blanked, anchor.end, tokens, shape.size)
        readings = row_candidates(tied, shape, allow_split=allow_split) if tied is not None else []
        if len(readings) > 1:
            readings = _as_the_text_states(text, start, end, spec, readings)
        if len(readings) == 1:
            rows[spec.key] = readings[0]
        else:
            values = agreed(readings) if readings else tuple(None for _ in spec.columns)
            rows[spec.key] = values
            if tokens and any(v is None for v in values):
                findings.append(Issue(
                    "read.ambiguous", "warning", f"{table}.{spec.key}",
                    f"{tx.cell_label(table, spec.key)}的数字无法确定（读到「{_show(tokens)}」），留空"))
    return ProactiveRead(True, fmt, rows, findings)


def proactive_shape(spec: tx.ProactiveRow) -> RowShape:
    """A table 二 row's cells: which may be negative or fractional, and (2019 format) that
    上一年项目数量 + 本年增/减 — this year's number of items — cannot be negative."""
    keys = [c.key for c in spec.columns]
    floors = ((keys.index("previous_items"), keys.index("change")),) \
        if "previous_items" in keys and "change" in keys else ()
    return RowShape(
        len(keys),
        signed=frozenset(i for i, key in enumerate(keys) if key in spec.signed),
        decimal=frozenset(i for i, key in enumerate(keys) if key in spec.decimal),
        floors=floors,
    )


# Words of the prose that name a column of the document rows of table 二.
_STATED_COLUMNS = {
    "issued": ("制发", "印发", "新制定"), "repealed": ("废止",), "in_force": ("现行有效",),
    "made": ("新制作",), "published": ("新公开",), "total_published": ("对外公开总数",),
    # 2019 format: 作出行政处罚决定430件, 政府集中采购项目135个
    "decisions": ("处理决定", "决定"), "projects": ("项目",),
}
# The unit a stated number of each column is counted in (件 unless named here).
_STATED_UNITS = {"projects": "[个项件]"}


def _as_the_text_states(text: str, start: int, end: int, spec: tx.ProactiveRow, readings: list[tuple]) -> list[tuple]:
    """The readings of a run-together table 二 row that agree with what the report's prose
    states (``集中公开现行有效行政规范性文件698件``); all of them if the prose states nothing usable.

    Only counts are used: a sentence naming the row's label, a column's word and a number
    of 件 (个 or 项 for projects) within one clause.  A column stated twice with two numbers
    is not used; neither is a stated number that no reading has.
    """
    prose = text[:start] + "\n" + text[end:]
    label = "|".join(re.escape(cue) for cue in spec.cues)
    kept = readings
    for index, column in enumerate(spec.columns):
        words = _STATED_COLUMNS.get(column.key)
        if not words:
            continue
        word = "|".join(words)
        unit = _STATED_UNITS.get(column.key, "件")
        stated = {int(m.group(1)) for pattern in (
            rf"(?:{word})[^。；，,\d\n]{{0,12}}?(?:{label})[^。；，,\d\n]{{0,6}}?(\d+)\s*{unit}",
            rf"(?:{label})[^。；，,\d\n]{{0,12}}?(?:{word})[^。；，,\d\n]{{0,6}}?(\d+)\s*{unit}",
        ) for m in re.finditer(pattern, prose)}
        if len(stated) == 1:
            value = stated.pop()
            narrowed = [r for r in kept if r[index] == value]
            if narrowed:
                kept = narrowed
    return kept


def _strip_units(segment: str) -> str:
    # 采购总金额 may carry its unit: 75394432.52元 / 251000元 / 3.2万元
    return re.sub(r"(?<=\d)\s*万?元", " ", segment)


def _show(tokens: list[Token]) -> str:
    return " ".join(t.text if t.text is not None else "空" for t in tokens)


# ---------------------------------------------------------------- table 四

@dataclass
class AppealsRead:
    found: bool
    values: tuple | None
    findings: list[Issue]


APPEAL_BLOCK_SHAPE = RowShape(5, sums=(((0, 1, 2, 3), 4),))


def read_appeals(text: str, start: int, end: int, *, allow_split: bool | None = None) -> AppealsRead:
    """Table 四, printed either officially (one row of 15 cells under a three-level header)
    or with one row per block (行政复议 / 未经复议直接起诉 / 复议后起诉, five cells each)."""
    blanked = blank_notes(text)
    review = find_cue(text, ("行政复议",), start, end)
    if review is None:
        return AppealsRead(False, None, [])
    first_total = find_cue(text, ("总计",), review.end(), end)
    row_label = find_cue(text, ("行政复议",), first_total.end(), end) if first_total else None
    if row_label is not None:
        return _read_appeals_by_block(text, blanked, row_label.start(), end, allow_split)
    # The numbers follow the last header word of the table's header rows.
    header_end = review.end()
    position = review.end()
    while True:
        match = find_earliest(text, APPEAL_HEADER_WORDS, position, end)
        if match is None:
            break
        between = blanked[position:match.start()]
        if re.search(r"\d", between) and header_end > review.end():
            break
        header_end = match.end()
        position = match.end()
    seg_end = _segment_end(blanked, header_end, end, last=True)
    tokens = tokenize(blanked, header_end, seg_end)
    if allow_split is None:
        allow_split = len(tokens) < TABLE4_SHAPE.size
    values, findings = _one_reading(blanked, tokens, TABLE4_SHAPE, allow_split, "appeals", "表四")
    return AppealsRead(True, values, findings)


def _read_appeals_by_block(text: str, blanked: str, start: int, end: int, allow_split) -> AppealsRead:
    labels = [(block.key, ("行政复议",) if block.key == "review" else (block.label,)) for block in tx.APPEAL_BLOCK_LIST]
    anchors = []
    position = start
    for key, cues in labels:
        match = find_cue(text, cues, position, end)
        if match is None:
            return AppealsRead(True, None, [Issue("read.missing_row", "warning", f"appeals.{key}",
                                                    f"未找到表四「{tx.APPEAL_BLOCKS[key].label}」一行")])
        anchors.append((key, match.start(), match.end()))
        position = match.end()
    values: list = []
    findings: list[Issue] = []
    for index, (key, _label_start, label_end) in enumerate(anchors):
        last = index == len(anchors) - 1
        seg_end = anchors[index + 1][1] if not last else end
        seg_end = _segment_end(blanked, label_end, seg_end, last=last)
        tokens = tokenize(blanked, label_end, seg_end)
        split = allow_split if allow_split is not None else len(tokens) < APPEAL_BLOCK_SHAPE.size
        block_values, block_findings = _one_reading(blanked, tokens, APPEAL_BLOCK_SHAPE, split, f"appeals.{key}",
                                                    f"表四「{tx.APPEAL_BLOCKS[key].label}」")
        values.extend(block_values)
        findings.extend(block_findings)
    return AppealsRead(True, tuple(values), findings)


def _one_reading(text: str, tokens: list[Token], shape: RowShape, allow_split: bool, where: str, label: str):
    row = trim_blanks(tokens, shape.size)
    if len(row) > shape.size and _row_line_then_more(text, row, shape.size):
        row = row[:shape.size]  # a row line, then a stray number below it (a year in the next paragraph)
    readings = row_candidates(row, shape, allow_split=allow_split)
    if len(readings) == 1:
        return readings[0], []
    values = agreed(readings) if readings else tuple(None for _ in range(shape.size))
    findings = []
    if any(v is None for v in values):
        findings.append(Issue("read.ambiguous", "warning", where,
                                f"{label}的数字无法确定（读到「{_show(tokens)}」），无法确定的单元格留空"))
    return values, findings


__all__ = [
    "TABLE3_SHAPE", "TABLE4_SHAPE", "ApplicationsRead", "AppealsRead", "ProactiveRead",
    "locate_applications", "read_applications", "read_proactive", "read_appeals", "proactive_format",
    "satisfies", "cue_pattern",
]
