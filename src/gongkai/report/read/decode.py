"""Bytes → str for text and HTML reports: UTF-8 (with or without BOM), GBK/GB18030, UTF-16."""

from __future__ import annotations

import re

from ..errors import UnreadableFile

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(data: bytes) -> str:
    if not data.strip():
        raise UnreadableFile("文件是空的")
    text = _decode(data)
    _refuse_binary(text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_html(data: bytes) -> str:
    if not data.strip():
        raise UnreadableFile("文件是空的")
    declared = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", data[:4096], re.IGNORECASE)
    if declared:
        name = declared.group(1).decode("ascii").lower()
        if name in ("gb2312", "gbk", "gb18030"):
            name = "gb18030"  # a superset: pages labelled gb2312 often use GBK characters
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    return _decode(data)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few broken bytes (a truncated download) is still UTF-8.
    if utf8_error.start > len(data) * 0.9:
        return data.decode("utf-8", errors="replace")
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise UnreadableFile("无法识别文件编码，内容可能是二进制数据而不是文本")
    return str(best) if len(data) <= 200_000 else data.decode(best.encoding, errors="replace")


def _refuse_binary(text: str) -> None:
    sample = text[:20000]
    if not sample:
        return
    controls = len(_CONTROL.findall(sample))
    replacements = sample.count("\ufffd")
    if controls > len(sample) * 0.01 or replacements > len(sample) * 0.05:
        raise UnreadableFile("文件内容是二进制数据，不是文本")
