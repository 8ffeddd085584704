"""Bounds on what one request may upload and make the readers do, for every page at once.

* A request body larger than ``GONGKAI_UPLOAD_MAX_MB`` is refused (413) before Django reads
  it, whichever form it was sent to — ten 19 MB attachments in one post included.
* Around every request, the readers of uploaded files (``gongkai.limits``) run with
  ``GONGKAI_IMPORT_MAX_ROWS`` rows per sheet and ``GONGKAI_IMPORT_MAX_UNCOMPRESSED_MB``
  unpacked from one ZIP (an XLSX or DOCX is one): a 300 KB workbook of 400,000 rows, or a
  ZIP bomb, is refused with the limit named instead of holding a worker for minutes.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils.html import escape

from gongkai.limits import MB, ReadLimits, megabytes, read_limits_applied


def web_read_limits() -> ReadLimits:
    return ReadLimits(max_rows=settings.GONGKAI_IMPORT_MAX_ROWS,
                      max_uncompressed_bytes=settings.GONGKAI_IMPORT_MAX_UNCOMPRESSED_MB * MB)


def request_too_large(size: int, limit: int) -> HttpResponse:
    message = (f"上传的内容共 {megabytes(size)}，超过单次上传的上限 {megabytes(limit)}。"
               "请减少一次上传的文件，或分几次上传。")
    return HttpResponse(
        f'<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>上传内容过大</title>'
        f'<h1>上传内容过大</h1><p role="alert">{escape(message)}</p>',
        status=413, content_type="text/html; charset=utf-8")


class UploadLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.GONGKAI_UPLOAD_MAX_MB * MB
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        if size > limit:
            return request_too_large(size, limit)
        with read_limits_applied(web_read_limits()):
            return self.get_response(request)
