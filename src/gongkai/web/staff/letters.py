"""Downloads of a case's letters (答复告知书 and the 补正、延期、收费 notices) as DOCX and PDF.

The same gate as the case page (``cases_visible_to``: 404 outside the user's scope), and
then the rule for personal data: a letter names the applicant, so only those handling the
case may download it (403 for a supervisor), and every download is recorded in
``PersonalDataAccess``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header

from gongkai.web.cases.letters.compose import (
    LETTER_TYPES,
    LetterIncomplete,
    LetterUnavailable,
    compose_letter,
    letter_missing_date,
    letter_types_available,
)
from gongkai.web.cases.letters.documents import letter_docx, letter_pdf
from gongkai.web.cases.models import Application
from gongkai.web.cases.selectors import cases_visible_to
from gongkai.web.schedules.calendar import site_calendar

from .personal_data import may_see_personal_data, personal_data_viewed

LOGIN_URL = "staff:login"
FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", letter_docx),
    "pdf": ("application/pdf", letter_pdf),
}


def letter_links(application: Application, user) -> list[tuple[str, str, str]]:
    """(letter type, label, why it cannot be written yet or "") of the letters ``user`` may download now."""
    if not may_see_personal_data(user, application):
        return []
    calendar = site_calendar()
    return [(kind, LETTER_TYPES[kind], letter_missing_date(application, kind, calendar=calendar))
            for kind in letter_types_available(application)]


@login_required(login_url=LOGIN_URL)
def letter_download(request, pk: int, letter_type: str, extension: str):
    application = get_object_or_404(cases_visible_to(request.user).select_related("agency__parent"), pk=pk)
    if letter_type not in LETTER_TYPES or extension not in FORMATS:
        raise Http404("没有这种文书")
    if not may_see_personal_data(request.user, application):
        raise PermissionDenied("只有办理本申请的人员可以下载答复文书")
    try:
        letter = compose_letter(application, letter_type)
    except LetterIncomplete as error:  # never a letter with a blank date: say why and what to do
        return render(request, "staff/letter_incomplete.html",
                      {"application": application, "label": LETTER_TYPES[letter_type], "reason": error.messages[0]},
                      status=409)
    except LetterUnavailable as error:
        raise Http404(error.messages[0]) from None
    except ValidationError as error:  # the agency's template breaks a sandbox rule (letters/body.py)
        messages.error(request, f"本机构的答复文书模板无法使用：{'；'.join(error.messages)}。请机构管理员在管理页修改模板。")
        return redirect("staff:case_detail", pk=application.pk)
    content_type, write = FORMATS[extension]
    body = write(letter)
    personal_data_viewed(user=request.user, application=application, ip_address=request.META.get("REMOTE_ADDR"),
                         fields=f"{letter.title}（{extension.upper()}，含申请人姓名）")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, letter.filename(extension))
    response["Cache-Control"] = "private, no-store"
    return response
