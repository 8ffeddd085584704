"""Reading ledger files: encodings, header languages and orders, XLSX cells, row numbers."""

import csv
from datetime import date, datetime

import openpyxl
import pytest
from tests.damage import with_damaged_sheet
from tests.ledger.ledgers import HEADERS, csv_text

from gongkai.ledger import UnreadableLedger, read_ledger
from gongkai.ledger.read import read_ledger_file

ROWS = [
    ["GK-001", "2021-03-05", "自然人", "2021/4/1", "予以公开"],
    ["GK-002", "2021年3月6日", "商业企业", "", ""],
    ["GK-003", "2021.3.8", "法律服务机构", "2021-03-09", "不予公开/保护第三方合法权益"],
]


def summary(ledger):
    """What the ledger says, independent of how it was stored."""
    return [
        (ledger.ids[i].as_py(), ledger.row_number(i), ledger.dates["received"][i].as_py(),
         ledger.dates["closed"][i].as_py(), ledger.applicant[i].as_py(), ledger.outcome[i].as_py())
        for i in range(len(ledger))
    ]


EXPECTED = [
    ("GK-001", 2, date(2021, 3, 5).toordinal(), date(2021, 4, 1).toordinal(), 0, 0),
    ("GK-002", 3, date(2021, 3, 6).toordinal(), None, 1, None),
    ("GK-003", 4, date(2021, 3, 8).toordinal(), date(2021, 3, 9).toordinal(), 4, 5),
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_in_gbk(ledger_file, encoding):
    ledger = read_ledger(ledger_file(ROWS, encoding=encoding))
    assert ledger.errors == []
    assert summary(ledger) == EXPECTED
    assert ledger.raw.encoding == ("gb18030" if encoding.startswith("gb") else "utf-8")


def test_gb18030_characters_outside_gbk(ledger_file):
    rows = [[*ROWS[0], "申请人：𠀾先生"]]
    ledger = read_ledger(ledger_file(rows, [*HEADERS, "备注"], encoding="gb18030"))
    assert ledger.errors == [] and ledger.raw.extra_headers == ["备注"]


def test_english_headers_in_another_order_with_unknown_columns(ledger_file):
    headers = ["outcome", "note", "closed", "applicant_type", "ID", "Received", "经办人"]
    rows = [[r[4], "x", r[3], r[2], r[0], r[1], "张三"] for r in ROWS]
    ledger = read_ledger(ledger_file(rows, headers))
    assert summary(ledger) == EXPECTED
    assert ledger.raw.extra_headers == ["note", "经办人"]


def test_title_rows_above_the_header(ledger_file):
    text = "某区政府办公室依申请公开台账,,,,\r\n2021年度,,,,\r\n" + csv_text(ROWS)
    ledger = read_ledger(ledger_file([], text=text))
    assert [ledger.row_number(i) for i in range(3)] == [4, 5, 6]
    assert summary(ledger)[0][0] == "GK-001"


def test_blank_lines_and_empty_records_keep_spreadsheet_row_numbers(ledger_file):
    lines = csv_text(ROWS).split("\r\n")
    text = "\r\n".join([lines[0], lines[1], "", ",,,,", lines[2], lines[3], ""])
    ledger = read_ledger(ledger_file([], text=text))
    assert [ledger.row_number(i) for i in range(len(ledger))] == [2, 5, 6]


def test_empty_records_alone_are_dropped_by_the_fast_reader_too(ledger_file):
    text = csv_text([ROWS[0], ["", "", "", "", ""], ROWS[1]])
    ledger = read_ledger(ledger_file([], text=text))
    assert [ledger.row_number(i) for i in range(len(ledger))] == [2, 4]


def test_a_quoted_cell_over_several_lines_is_one_row(ledger_file):
    rows = [[*ROWS[0], "第一行\n第二行, 含逗号"], [*ROWS[1], ""], [*ROWS[2], ""]]
    ledger = read_ledger(ledger_file(rows, [*HEADERS, "备注"]))
    assert summary(ledger) == EXPECTED


def test_a_row_wider_than_the_header_is_an_error(ledger_file):
    text = csv_text(ROWS[:1]) + "GK-009,2021-03-05,自然人,,,多出来的\r\n"
    ledger = read_ledger(ledger_file([], text=text))
    assert [str(e) for e in ledger.errors] == ["第 3 行「第 6 列」列「多出来的」：这一行有 6 项，比表头的 5 列多"]


def write_xlsx(path, rows, headers=HEADERS, *, epoch_1904=False, title=None):
    workbook = openpyxl.Workbook()
    if epoch_1904:
        workbook.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_xlsx_with_date_cells_serial_numbers_and_text(tmp_path):
    rows = [
        ["GK-001", datetime(2021, 3, 5), "自然人", date(2021, 4, 1), "予以公开"],
        ["GK-002", 44261, "商业企业", None, None],  # a date typed as a number, no date format
        [None, None, None, None, None],  # an empty row in the sheet
        ["GK-003", "2021.3.8", "法律服务机构", "2021-03-09", "不予公开/保护第三方合法权益"],
    ]
    ledger = read_ledger(write_xlsx(tmp_path / "台账.xlsx", rows, title="某区依申请公开台账"))
    assert ledger.errors == []
    assert summary(ledger) == [(*EXPECTED[0][:1], 3, *EXPECTED[0][2:]), (*EXPECTED[1][:1], 4, *EXPECTED[1][2:]),
                               (*EXPECTED[2][:1], 6, *EXPECTED[2][2:])]


def test_xlsx_numbers_in_date_columns_use_the_workbooks_epoch(tmp_path):
    # In a 1904-based workbook the serial 42799 is 2021-03-06, not 2017-03-05.
    ledger = read_ledger(write_xlsx(tmp_path / "mac.xlsx", [["GK-1", 42799, "自然人", None, None]], epoch_1904=True))
    assert ledger.dates["received"][0].as_py() == date(2021, 3, 6).toordinal()


def test_the_fast_and_the_exact_csv_readers_agree(ledger_file):
    plain = read_ledger(ledger_file(ROWS, name="a.csv"))
    # A blank line sends the file through the csv-module reader; the records are the same.
    text = csv_text(ROWS).replace("\r\nGK-002", "\r\n\r\nGK-002")
    exact = read_ledger(ledger_file([], text=text, name="b.csv"))
    assert [r[:1] + r[2:] for r in summary(plain)] == [r[:1] + r[2:] for r in summary(exact)]


@pytest.mark.parametrize("content, message", [
    ("申请编号,收到申请日期,办结日期\r\nA,2021-01-01,\r\n", "缺少必需的列：申请人类型（applicant_type）"),
    ("编号,日期,类型\r\nA,2021-01-01,自然人\r\n",
     "找不到台账表头：缺少必需的列 申请编号（id）、收到申请日期（received）、申请人类型（applicant_type）"),
    ("申请编号,id,收到申请日期,申请人类型\r\n", "第 1 列「申请编号」和第 2 列「id」是同一列（申请编号），只能有一个"),
])
def test_header_problems_are_named(ledger_file, content, message):
    with pytest.raises(UnreadableLedger) as caught:
        read_ledger_file(ledger_file([], text=content))
    assert caught.value.message == message
    assert caught.value.exit_code == 2


def test_utf16_is_refused_with_advice(ledger_file):
    path = ledger_file(ROWS, encoding="utf-16")
    with pytest.raises(UnreadableLedger, match="UTF-16 编码"):
        read_ledger_file(path)


def test_a_file_that_changes_encoding_halfway_is_refused(tmp_path):
    path = tmp_path / "mixed.csv"
    good = csv_text(ROWS).encode("utf-8")
    path.write_bytes(good + "GK-004,2021-03-09,自然人,,\r\n".encode("gbk"))
    with pytest.raises(UnreadableLedger) as caught:
        read_ledger_file(path)
    assert caught.value.message == "文件编码不一致：前面是 UTF-8，第 5 行起不是 UTF-8"


def test_big5_is_not_mistaken_for_a_ledger(ledger_file):
    path = ledger_file([["GK-1", "2021-03-05", "自然人", "", ""]], ["申請編號", "收到申請日期", "申請人類型", "辦結日期", "辦理結果"],
                       encoding="big5")
    with pytest.raises(UnreadableLedger) as caught:
        read_ledger_file(path)
    assert caught.value.message.startswith("找不到台账表头")
    assert "可能不是 UTF-8 或 GBK 编码" in caught.value.message


@pytest.mark.parametrize("content, message", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "这是旧版 Excel（.xls）或加密的工作簿，请另存为 .xlsx 或 CSV"),
    (b"PK\x03\x04not really a zip", "无法打开 xlsx 工作簿：文件已损坏，或不是 xlsx 格式"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "不是 CSV 文本文件，也不是 xlsx 工作簿"),
    (b"", "找不到台账表头：缺少必需的列 申请编号（id）、收到申请日期（received）、申请人类型（applicant_type）"),
])
def test_files_that_are_not_ledgers(tmp_path, content, message):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableLedger) as caught:
        read_ledger_file(path)
    assert caught.value.message == message
    assert str(caught.value) == f"{path}: {message}"


def test_a_missing_file(tmp_path):
    with pytest.raises(UnreadableLedger, match="文件不存在"):
        read_ledger_file(tmp_path / "nope.csv")


def test_a_workbook_saved_under_a_csv_name_is_still_read_as_xlsx(tmp_path):
    path = write_xlsx(tmp_path / "book.xlsx", [["GK-1", datetime(2021, 3, 5), "自然人", None, None]])
    renamed = path.rename(tmp_path / "台账.csv")
    assert read_ledger(renamed).ids.to_pylist() == ["GK-1"]


def test_the_first_sheet_with_a_ledger_header_is_used(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "说明"
    workbook.active.append(["本表为依申请公开台账"])
    sheet = workbook.create_sheet("台账")
    sheet.append(HEADERS)
    sheet.append(["GK-1", "2021-03-05", "自然人", None, None])
    workbook.save(tmp_path / "two.xlsx")
    ledger = read_ledger(tmp_path / "two.xlsx")
    assert (ledger.ids.to_pylist(), ledger.row_number(0)) == (["GK-1"], 2)


def test_an_xlsx_without_the_required_columns(tmp_path):
    path = write_xlsx(tmp_path / "bad.xlsx", [["GK-1", "2021-03-05"]], headers=["申请编号", "收到申请日期"])
    with pytest.raises(UnreadableLedger) as caught:
        read_ledger(path)
    assert caught.value.message == "缺少必需的列：申请人类型（applicant_type）"


def test_an_xlsx_row_with_cells_beyond_the_header_is_an_error(tmp_path):
    path = write_xlsx(tmp_path / "wide.xlsx", [["GK-1", "2021-03-05", "自然人", None, None, None, "多余"]])
    ledger = read_ledger(path)
    assert [str(e) for e in ledger.errors] == ["第 2 行「第 6 列」列「多余」：这一行在表头之外还有内容（表头只有 5 列）"]


def test_old_mac_line_ends(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(csv_text(ROWS).replace("\r\n", "\r").encode("utf-8"))
    ledger = read_ledger(path)
    assert ledger.errors == [] and summary(ledger) == EXPECTED


@pytest.fixture
def small_csv_cell_limit():
    """The csv module's (process-wide) cell limit lowered, so a runaway cell reaches it in a small file."""
    previous = csv.field_size_limit(1000)
    yield
    csv.field_size_limit(previous)


def test_a_stray_quote_that_swallows_the_rest_of_the_file_names_its_line(tmp_path, small_csv_cell_limit):
    path = tmp_path / "quote.csv"
    rest = "".join(f"GK-{n},2021-03-09,自然人,,予以公开\r\n" for n in range(6, 100))
    # the row one cell too wide sends the file to the row-by-row reader, which numbers lines as a spreadsheet does
    wide = "GK-004,2021-03-09,自然人,,,多\r\n"
    path.write_text(csv_text(ROWS) + wide + 'GK-005,2021-03-09,自然人,,"予以公开\r\n' + rest, encoding="utf-8")
    with pytest.raises(UnreadableLedger, match="CSV 第 6 行起无法读取（field larger than field limit"):
        read_ledger(path)


def test_an_xlsx_damaged_part_way_names_the_row_and_reads_nothing(tmp_path):
    rows = [[f"GK-{n}", datetime(2021, 3, 5), "自然人", None, None] for n in range(1, 9)]
    path = write_xlsx(tmp_path / "book.xlsx", rows)
    path.write_bytes(with_damaged_sheet(path.read_bytes(), from_row=6))
    with pytest.raises(UnreadableLedger, match="xlsx 工作簿已损坏：读到第 6 行附近时无法继续"):
        read_ledger(path)
