"""What a damaged ZIP archive raises — DOCX and XLSX files are ZIPs too — named once for every reader,
and the one check of how much an archive unpacks to."""

import zipfile
import zlib

from gongkai.errors import GongkaiError
from gongkai.limits import uncompressed_exceeded

# Opening: a bad or cut-off central directory, an entry name that claims UTF-8 and is not
# (UnicodeDecodeError, a ValueError), or an entry claiming a ZIP version zipfile does not know.
OPEN_ERRORS = (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError)
# Reading an entry: a CRC mismatch, a broken deflate stream, encryption, or a method zipfile lacks.
READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError)


class ArchiveTooLarge(GongkaiError):
    """The archive unpacks to more than ``limits.read_limits()`` allows (a ZIP bomb, or just too much)."""


def uncompressed_size_check(archive: zipfile.ZipFile, what: str) -> None:
    """Refuse an archive whose entries declare more bytes than the limit.

    The declared sizes are enough: zipfile never inflates an entry past its declared
    ``file_size``, so an archive that lies about them cannot unpack to more either.
    """
    reason = uncompressed_exceeded(sum(info.file_size for info in archive.infolist()), what)
    if reason:
        raise ArchiveTooLarge(reason)
