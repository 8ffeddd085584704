"""gongkai.sheets: CSV and XLSX bytes to numbered text rows, and the refusals, in Chinese."""

import io
import random
from datetime import date, datetime

import openpyxl
import pytest
from tests.damage import damaged, with_damaged_sheet

from gongkai.sheets import UnreadableSheet, cell_text, header_positions, sheet_rows

CSV_TEXT = "登记簿\n\n类别,名称,制发日期\n规章,某某办法,2024-03-01\n, ,\n行政规范性文件,\"多行\n名称\",2024/5/6\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_encoding_gives_the_rows_a_spreadsheet_numbers(encoding):
    [rows] = sheet_rows(CSV_TEXT.encode(encoding))
    assert rows == [
        (1, ["登记簿"]),
        (3, ["类别", "名称", "制发日期"]),
        (4, ["规章", "某某办法", "2024-03-01"]),
        (6, ["行政规范性文件", "多行\n名称", "2024/5/6"]),  # blank row 5 dropped; a quoted newline is one row
    ]


def test_xlsx_every_sheet_with_dates_and_whole_numbers_as_csv_text():
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.append(["年度", "行政许可", "收费金额（万元）"])
    first.append([2024, 12.0, 3.5])
    first.append([None, None, None])
    first.append([datetime(2024, 5, 6, 0, 0), "  ", 0])
    second = workbook.create_sheet("附表")
    second.append(["名称"])
    raw = io.BytesIO()
    workbook.save(raw)
    sheets = sheet_rows(raw.getvalue())
    assert sheets == [[(1, ["年度", "行政许可", "收费金额（万元）"]), (2, ["2024", "12", "3.5"]),
                       (4, ["2024-05-06", None, "0"])],
                      [(1, ["名称"])]]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "文件是空的"),
    (b" \n\n", "文件是空的"),
    ("类别,名称\n".encode("utf-16"), "UTF-16"),
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 60, "旧版 Excel"),
    (b"PK\x03\x04 not really a workbook", "无法打开 xlsx 工作簿"),
    ("类别,名称\n规章,办法\n".encode() + "第二部分".encode("gbk"), "文件编码不一致"),
])
def test_unreadable_files_are_refused_with_the_reason(data, message):
    with pytest.raises(UnreadableSheet, match=message):
        sheet_rows(data)


def test_old_mac_line_ends_are_row_ends():
    [rows] = sheet_rows("类别,名称\r规章,某某办法\r\r行政规范性文件,某某规定\r".encode())
    assert rows == [(1, ["类别", "名称"]), (2, ["规章", "某某办法"]), (4, ["行政规范性文件", "某某规定"])]


def test_a_workbook_damaged_part_way_names_the_row_it_stops_at():
    workbook = openpyxl.Workbook()
    for number in range(1, 8):
        workbook.active.append(["规章", f"办法{number}"])
    raw = io.BytesIO()
    workbook.save(raw)
    with pytest.raises(UnreadableSheet, match="xlsx 工作簿已损坏：读到第 5 行附近时无法继续"):
        sheet_rows(with_damaged_sheet(raw.getvalue(), from_row=5))


def test_cell_text_writes_values_as_a_csv_export_would():
    assert cell_text(date(2024, 1, 2)) == "2024-01-02"
    assert cell_text(7.0) == "7" and cell_text(7.25) == "7.25"
    assert cell_text("   ") is None and cell_text(None) is None


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_damaged_copies_are_read_or_refused_with_a_reason(kind):
    workbook = openpyxl.Workbook()
    for number in range(60):
        workbook.active.append(["行政规范性文件", f"关于印发某某办法的通知（第{number}号）", "2024-03-01", "有效"])
    raw = io.BytesIO()
    workbook.save(raw)
    original = raw.getvalue() if kind == "xlsx" else "\r\n".join(
        ",".join(str(c.value) for c in row) for row in workbook.active.iter_rows()).encode("gbk")
    rng = random.Random(kind)
    for copy in range(40):
        how, data = damaged(original, rng)
        try:
            sheet_rows(data)
        except UnreadableSheet as error:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in error.message)
        except Exception as error:  # noqa: BLE001 - the point of the test
            pytest.fail(f"copy {copy} ({how}): {type(error).__name__}: {error}")


def test_header_positions_keep_known_columns_and_refuse_one_given_twice():
    keys = {"名称": "title", "title": "title", "日期": "date"}
    assert header_positions(["备注", "名称", None, "日期"], keys.get, str.upper) == {"title": 1, "date": 3}
    with pytest.raises(UnreadableSheet, match="第 2 列「名称」和第 4 列「title」是同一列（TITLE），只能有一个"):
        header_positions(["备注", "名称", "日期", "title"], keys.get, str.upper)
