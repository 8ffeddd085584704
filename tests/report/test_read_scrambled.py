"""Never a confident wrong number: table 三 of the seeds, scrambled as real converters scramble it.

Each example takes a seed's Markdown layout (tests/fixtures/layouts), keeps its prose and
tables 二 and 四, and prints table 三 again from the seed's hand-written truth — or from a
drawn table whose every 勾稽关系 holds, so that zeros are not the only values — with one
damage real files show: a row's label moved away from its numbers, the numbers of two rows
interleaved, a row's numbers before its label, or pdfminer's column-major text (every label,
then every number).  Every cell read must be the truth or null, and a null row has an issue.
"""

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import FIXTURES
from tests.fixtures.make_layouts import APP_COLS, CORNER, ROWS3, STEMS, num

from gongkai.report.read import read_report

LAYOUTS = FIXTURES / "layouts"
KEYS = [key for key, *_ in ROWS3]
LABELS = {key: " ".join(part for part in parts if part) for key, *parts in ROWS3}
TABLES = ("proactive", "applications", "appeals")


def truth(stem: str) -> dict:
    return json.loads((FIXTURES / "expected" / f"{stem}.json").read_text(encoding="utf-8"))


@st.composite
def consistent_table3(draw) -> dict:
    """Rows that obey C1–C3, with values large enough that a zero window stands out."""
    outcome = [k for k in KEYS if k not in ("new", "carried_over", "total", "carried_forward")]
    cell = st.integers(0, 30)
    table = {key: [draw(cell) for _ in range(6)] for key in outcome}
    total = [sum(table[k][c] for k in outcome) for c in range(6)]
    forward = [draw(st.integers(0, 5)) for _ in range(6)]
    carried = [min(draw(st.integers(0, 5)), t + f) for t, f in zip(total, forward, strict=True)]
    table.update(total=total, carried_forward=forward, carried_over=carried,
                 new=[t + f - c for t, f, c in zip(total, forward, carried, strict=True)])
    return {key: dict(zip(APP_COLS, [*values, sum(values)], strict=True)) for key, values in table.items()}


def values_of(table: dict, key: str) -> list[str]:
    return [num(table[key][column]) for column in APP_COLS]


# ---------------------------------------------------------------- damage: each returns lines of cells

def intact(table, rng):
    return [[LABELS[k], *values_of(table, k)] for k in KEYS]


def label_moved_away(table, rng):
    lines = intact(table, rng)
    moved = rng.draw(st.integers(0, len(KEYS) - 1))
    to = rng.draw(st.integers(0, len(KEYS)).filter(lambda j: j not in (moved, moved + 1)))
    lines[moved] = values_of(table, KEYS[moved])
    lines.insert(to, [LABELS[KEYS[moved]]])
    return lines


def two_rows_interleaved(table, rng):
    lines = intact(table, rng)
    first = rng.draw(st.integers(0, len(KEYS) - 2))
    a, b = values_of(table, KEYS[first]), values_of(table, KEYS[first + 1])
    mixed = [cell for pair in zip(a, b, strict=True) for cell in pair]
    lines[first:first + 2] = [[LABELS[KEYS[first]], *mixed], [LABELS[KEYS[first + 1]]]]
    return lines


def numbers_before_label(table, rng):
    lines = intact(table, rng)
    row = rng.draw(st.integers(0, len(KEYS) - 1))
    same_line = rng.draw(st.booleans())
    key = KEYS[row]
    lines[row:row + 1] = [[*values_of(table, key), LABELS[key]]] if same_line else \
        [values_of(table, key), [LABELS[key]]]
    return lines


def column_major(table, rng):
    """pdfminer's order: a column of labels, then the numbers column by column (or row by row)."""
    by_column = rng.draw(st.booleans())
    labels = [[LABELS[k]] for k in KEYS]
    if by_column:
        numbers = [[num(table[k][c])] for c in APP_COLS for k in KEYS]
    else:
        numbers = [[value] for k in KEYS for value in values_of(table, k)]
    return labels + numbers


DAMAGE = [label_moved_away, two_rows_interleaved, numbers_before_label, column_major]


def render(lines, style: str) -> str:
    if style == "tabs":
        return "\n".join("\t".join(cells) for cells in lines)
    if style == "pipes":
        return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)
    return "\n".join(cell for cells in lines for cell in cells)  # one cell per line (Word's text export)


def with_table3(stem: str, body: str) -> str:
    text = (LAYOUTS / f"{stem}.md").read_text(encoding="utf-8")
    start = text.index("## 三、")
    end = text.index("## 四、")
    header = "\t".join(["申请人情况", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"])
    return text[:start] + f"## 三、收到和处理政府信息公开申请情况\n\n{CORNER}\n{header}\n{body}\n\n" + text[end:]


def wrong_cells(report: dict, expected: dict, tables=TABLES) -> list[str]:
    wrong = []
    for table in tables:
        for row, cells in (expected.get(table) or {}).items():
            for column, value in (cells or {}).items():
                read = ((report.get(table) or {}).get(row) or {}).get(column)
                if read is not None and read != value:
                    wrong.append(f"{table}.{row}.{column}: read {read}, truth {value}")
    return wrong


def unexplained_blank_rows(report: dict) -> list[str]:
    explained = {issue["where"] for issue in report["issues"]}
    structural = any(issue["rule"].startswith("structure.") and issue["where"].startswith("applications")
                     for issue in report["issues"])
    return [key for key, cells in report["applications"].items()
            if cells and None in cells.values() and f"applications.{key}" not in explained and not structural]


@settings(max_examples=300)
@given(stem=st.sampled_from(STEMS), damage=st.sampled_from(DAMAGE), style=st.sampled_from(["tabs", "pipes", "lines"]),
       drawn=st.one_of(st.none(), consistent_table3()), rng=st.data())
def test_scrambled_table_three_is_read_right_or_null(stem, damage, style, drawn, rng):
    expected = truth(stem)
    if drawn is not None:
        expected = {**expected, "applications": drawn}
    body = render(damage(expected["applications"], rng), style)
    text = with_table3(stem, body)
    report = read_report(text.encode("utf-8"), filename=f"{stem}.md").to_json()
    assert wrong_cells(report, expected) == [], body
    assert unexplained_blank_rows(report) == []


@given(stem=st.sampled_from(STEMS), style=st.sampled_from(["tabs", "pipes", "lines"]),
       drawn=st.one_of(st.none(), consistent_table3()), rng=st.data())
def test_the_printed_table_itself_is_read_whole(stem, style, drawn, rng):
    """The same printing without damage: every cell comes back (the test above cannot pass by nulls alone)."""
    expected = truth(stem)
    if drawn is not None:
        expected = {**expected, "applications": drawn}
    text = with_table3(stem, render(intact(expected["applications"], rng), style))
    report = read_report(text.encode("utf-8"), filename=f"{stem}.md").to_json()
    assert {key: report["applications"][key] for key in KEYS} == {key: expected["applications"][key] for key in KEYS}
