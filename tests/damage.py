"""Damaged files for the tests of every reader: random damage from a seeded generator, an xlsx
whose sheet is cut off part-way through, a ZIP whose directory lists a name that is not UTF-8 or
claims a ZIP version from the future."""

import io
import random
import zipfile


def damaged(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """A copy cut short, with bytes overwritten, a piece lost or a piece repeated; and which it was."""
    data = bytearray(data)
    how = rng.choice(["cut", "overwrite", "lose", "repeat"])
    at = rng.randrange(len(data))
    if how == "cut":
        data = data[:at]
    elif how == "overwrite":
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif how == "lose":
        del data[at:at + rng.randint(1, 2000)]
    else:
        data[at:at] = data[at:at + rng.randint(1, 2000)]
    return how, bytes(data)


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


def with_garbled_name(archive: bytes, name: str) -> bytes:
    """The ZIP with ``name``'s directory entry starting with bytes that are not UTF-8, though the
    entry's flags say the name is UTF-8 — Python's zipfile then fails while opening the archive."""
    data = bytearray(archive)
    central = data.rindex(name.encode())  # the name as the central directory lists it
    data[central:central + 2] = b"\x99\x99"
    data[central - 38:central - 36] = b"\x00\x08"  # general-purpose flags: bit 11, UTF-8 names
    return bytes(data)


def with_future_version(archive: bytes, name: str) -> bytes:
    """The ZIP with ``name``'s directory entry claiming it needs ZIP version 13.2 to extract."""
    data = bytearray(archive)
    central = data.rindex(name.encode())
    data[central - 40:central - 38] = (132).to_bytes(2, "little")  # version needed to extract
    return bytes(data)
