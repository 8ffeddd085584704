"""What a damaged ZIP archive raises — DOCX and XLSX files are ZIPs too — named once for every reader."""

import zipfile
import zlib

# Opening: a bad or cut-off central directory, an entry name that claims UTF-8 and is not
# (UnicodeDecodeError, a ValueError), or an entry claiming a ZIP version zipfile does not know.
OPEN_ERRORS = (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError)
# Reading an entry: a CRC mismatch, a broken deflate stream, encryption, or a method zipfile lacks.
READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError)
