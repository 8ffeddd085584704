"""Markdown that PDF/OCR conversion tools make of a report, made from the seeds.

Such tools print table 三 as broken pipe tables: the table cut into fragments under a
generic header (``数据1 … 数据7``), some rows as a bare line of numbers whose label comes
out as loose text (wrapped) after the fragment, page footers (``— 4 —``) between
fragments, and table 二 values with notes (``22（其中修订 16 件）``).  Every cell must come
back right; where a layout leaves a row unplaceable it is null with an issue, never wrong.
"""

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.fixtures.make_layouts import APP_COLS, STEMS, num
from tests.report.test_read_scrambled import KEYS, LABELS, LAYOUTS, consistent_table3, truth, wrong_cells

from gongkai.report.read import read_report

GENERIC_HEADER = "| 项目 | " + " | ".join(f"数据{i}" for i in range(1, 8)) + " |\n|" + "---|" * 8


def wrapped(label: str, width: int) -> str:
    return "\n".join(label[i:i + width] for i in range(0, len(label), width))


def broken_table3(table: dict, orphaned: set[str], width: int, footer_every: int) -> str:
    """Table 三 as a converter prints it; ``orphaned`` rows lose their label to loose text."""
    out, loose, fragment_rows = [GENERIC_HEADER], [], 0
    for index, key in enumerate(KEYS):
        values = " | ".join(num(table[key][c]) for c in APP_COLS)
        if key in orphaned:
            out.append(f"| {values} |")
            loose.append(wrapped(LABELS[key], width))
        else:
            if loose:  # the fragment ends after its bare lines; their labels follow as text
                out += ["", *loose, "", GENERIC_HEADER]
                loose = []
            out.append(f"| {LABELS[key]} | {values} |")
        fragment_rows += 1
        if footer_every and fragment_rows >= footer_every and not loose and index < len(KEYS) - 1:
            out += ["", f"— {index // footer_every + 2} —", "", GENERIC_HEADER]
            fragment_rows = 0
    return "\n".join(out + ["", *loose])


def with_broken_tables(stem: str, table3: str, note: bool) -> str:
    text = (LAYOUTS / f"{stem}.md").read_text(encoding="utf-8")
    start, end = text.index("## 三、"), text.index("## 四、")
    text = text[:start] + f"## 三、收到和处理政府信息公开申请情况\n\n{table3}\n\n" + text[end:]
    if note:  # a note beside a table 二 number: 13（其中修订 2 件）
        text = re.sub(r"(\| 行政规范性文件 \| )(\d+)", r"\1\2（其中修订 2 件）", text)
    return text


inner = st.sets(st.sampled_from(KEYS[1:-1]), max_size=8)  # the first and last rows are printed whole


@settings(max_examples=200)
@given(stem=st.sampled_from(STEMS), drawn=st.one_of(st.none(), consistent_table3()), orphaned=inner,
       width=st.integers(6, 14), footer_every=st.sampled_from([0, 5, 9]), note=st.booleans())
def test_converted_markdown_reads_every_cell_right(stem, drawn, orphaned, width, footer_every, note):
    expected = truth(stem)
    if drawn is not None:
        expected = {**expected, "applications": drawn}
    text = with_broken_tables(stem, broken_table3(expected["applications"], orphaned, width, footer_every), note)
    report = read_report(text.encode("utf-8"), filename=f"{stem}.md").to_json()
    assert wrong_cells(report, expected) == []
    assert {key: report["applications"][key] for key in KEYS} == {key: expected["applications"][key] for key in KEYS}
    assert report["proactive"] == expected["proactive"]


def test_a_bare_line_is_not_paired_when_the_count_does_not_match():
    """Two rows without labels but one bare line between the rows printed whole: neither is guessed."""
    expected = truth(STEMS[0])
    table = expected["applications"]
    text3 = broken_table3(table, {"withheld.security_stability", "withheld.third_party_rights"}, 10, 0)
    lines = text3.split("\n")
    bare = [i for i, line in enumerate(lines) if re.fullmatch(r"\| [\d |]+ \|", line)]
    del lines[bare[0]]
    report = read_report(with_broken_tables(STEMS[0], "\n".join(lines), False).encode("utf-8"),
                         filename="x.md").to_json()
    assert wrong_cells(report, expected) == []
    assert None in report["applications"]["withheld.security_stability"].values()


@settings(max_examples=150)
@given(stem=st.sampled_from(STEMS), drawn=st.one_of(st.none(), consistent_table3()),
       orphaned=st.sets(st.sampled_from(KEYS), max_size=12), width=st.integers(4, 14), dropped=st.integers(0, 30))
def test_any_rows_orphaned_and_a_bare_line_lost_give_no_wrong_cell(stem, drawn, orphaned, width, dropped):
    expected = truth(stem)
    if drawn is not None:
        expected = {**expected, "applications": drawn}
    lines = broken_table3(expected["applications"], orphaned, width, 0).split("\n")
    bare = [i for i, line in enumerate(lines) if re.fullmatch(r"\| [\d |]+ \|", line)]
    if bare and dropped < len(bare):
        del lines[bare[dropped]]  # a converter lost one bare line: the pairing must not shift
    report = read_report(with_broken_tables(stem, "\n".join(lines), False).encode("utf-8"), filename="x.md").to_json()
    assert wrong_cells(report, expected) == []
