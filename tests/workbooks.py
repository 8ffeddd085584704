"""Workbooks for the tests of every spreadsheet reader: a sheet damaged part-way through."""

import io
import zipfile


def with_damaged_sheet(xlsx: bytes, from_row: int) -> bytes:
    """The same workbook with its first sheet's XML cut off inside row ``from_row``, as a broken
    download or a bad disk leaves it: the archive opens, the rows before it read, then it fails."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                cut = data.index(f'<row r="{from_row}"'.encode())
                data = data[:cut] + f'<row r="{from_row}"><c r="A{from_row}" t="inlineStr"><is><t>'.encode()
            target.writestr(info, data)
    return out.getvalue()
