"""Attachments are accepted by what their bytes are, not only by their name."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError

from gongkai import archives

from .models import Attachment

Kind = Attachment.Kind
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

EXTENSIONS = {
    ".pdf": Kind.PDF, ".docx": Kind.DOCX, ".xlsx": Kind.XLSX, ".png": Kind.PNG, ".jpg": Kind.JPEG, ".jpeg": Kind.JPEG,
}
CONTENT_TYPES = {
    Kind.PDF: "application/pdf",
    Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Kind.PNG: "image/png",
    Kind.JPEG: "image/jpeg",
}


def max_attachment_bytes() -> int:
    return getattr(settings, "GONGKAI_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def sniff_kind(content: bytes) -> str | None:
    """The attachment kind the bytes show, or None for anything else (an .exe renamed .pdf)."""
    if content.startswith(b"%PDF-"):
        return Kind.PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind.PNG
    if content.startswith(b"\xff\xd8\xff"):
        return Kind.JPEG
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except archives.OPEN_ERRORS:
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return Kind.DOCX
            if "xl/workbook.xml" in names:
                return Kind.XLSX
    return None


def attachment_check(*, name: str, content: bytes) -> str:
    """The kind of a valid attachment; a ValidationError that names the file otherwise."""
    limit = max_attachment_bytes()
    if not content:
        raise ValidationError(f"附件「{name}」是空文件")
    if len(content) > limit:
        raise ValidationError(f"附件「{name}」有 {len(content) / 1048576:.1f} MB，超过上限 {limit / 1048576:.0f} MB")
    claimed = EXTENSIONS.get(PurePath(name).suffix.lower())
    if claimed is None:
        raise ValidationError(f"附件「{name}」的类型不受支持：只接受 PDF、DOCX、XLSX、PNG、JPEG")
    actual = sniff_kind(content)
    if actual is None:
        raise ValidationError(f"附件「{name}」的内容不是可接受的文件类型（PDF、DOCX、XLSX、PNG、JPEG）")
    if actual != claimed:
        raise ValidationError(f"附件「{name}」的扩展名与内容不符：内容是 {Kind(actual).label}")
    return actual
