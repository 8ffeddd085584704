"""Writes of the 通报 and the 考核: generate, edit and issue a 通报; edit the rubric; finalise a year's scores.

Each checks the 主管部门 role again (``services.require_supervisor``); a supervisor changes only
the office's own 通报, rubric and scores, never a unit's records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.web.agencies.models import Agency

from .bulletin import bulletin_texts, bulletin_title, month_figures, recipients_of
from .kaohe import ranking, rubric_of
from .models import Bulletin, Indicator, YearScore
from .services import require_supervisor

TEXT_FIELDS = ("recipients", "overview", "problems", "requirements")
MAX_TEXT = 5000


def bulletin_generate(*, office: Agency, month: date, acting_user, today: date | None = None) -> Bulletin:
    """The month's draft 通报, made afresh from the records (an issued one is never regenerated)."""
    require_supervisor(acting_user, office)
    today = today or timezone.localdate()
    month = month.replace(day=1)
    if month > today.replace(day=1):
        raise ValidationError({"month": "不能为尚未开始的月份生成通报"})
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().filter(office=office, month=month).first()
        if bulletin is not None and bulletin.is_issued:
            raise ValidationError("该月通报已印发，数据已冻结，不能重新生成")
        figures = month_figures(office, month, today=today)
        bulletin = bulletin or Bulletin(office=office, month=month)
        bulletin.title = bulletin_title(month)
        bulletin.recipients = recipients_of(figures)
        bulletin.issuer = office.full_name
        bulletin.figures = figures
        bulletin.generated_at = timezone.now()
        for key, text in bulletin_texts(figures).items():
            setattr(bulletin, key, text)
        bulletin._history_user = acting_user
        bulletin.save()
    return bulletin


def bulletin_edit(*, bulletin: Bulletin, acting_user, **texts: str) -> Bulletin:
    """The supervisor's wording of the 主送 and the three sections; the figures stay as generated."""
    require_supervisor(acting_user, bulletin.office)
    if bulletin.is_issued:
        raise ValidationError("通报已印发，不能修改")
    errors = {}
    for key in TEXT_FIELDS:
        value = (texts.get(key) or "").strip()
        if not value:
            errors[key] = "不能为空"
        elif len(value) > MAX_TEXT:
            errors[key] = f"超过 {MAX_TEXT} 字"
        setattr(bulletin, key, value)
    if errors:
        raise ValidationError(errors)
    bulletin._history_user = acting_user
    bulletin.save(update_fields=[*TEXT_FIELDS])
    return bulletin


def bulletin_issue(*, bulletin: Bulletin, acting_user) -> Bulletin:
    """Issue: dated today (成文日期), visible to the units, figures and text frozen."""
    require_supervisor(acting_user, bulletin.office)
    with transaction.atomic():
        locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if locked.is_issued:
            raise ValidationError("通报已印发")
        locked.state = Bulletin.State.ISSUED
        locked.issued_at, locked.issued_on, locked.issued_by = timezone.now(), timezone.localdate(), acting_user
        locked._history_user = acting_user
        locked.save(update_fields=["state", "issued_at", "issued_on", "issued_by"])
    return locked


# ---------------------------------------------------------------- rubric


@dataclass
class IndicatorInput:
    indicator: Indicator
    name: str
    points: str
    deduction: str


def _decimal(text, label: str, errors: dict, key: str) -> Decimal | None:
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        errors[key] = f"{label}应为数字"
        return None
    if not value.is_finite() or value < 0 or value > 1000 or value != value.quantize(Decimal("0.1")):
        errors[key] = f"{label}应在 0—1000 之间，最多一位小数"
        return None
    return value


def rubric_edit(*, office: Agency, acting_user, rows: list[IndicatorInput]) -> list[Indicator]:
    """Change the indicators' names, points and deductions: all rows or none."""
    require_supervisor(acting_user, office)
    errors: dict[str, str] = {}
    planned = []
    for row in rows:
        if row.indicator.office_id != office.pk:
            raise ValidationError("指标不属于本机构")
        key = f"i{row.indicator.pk}"
        name = (row.name or "").strip()
        if not name:
            errors[f"{key}_name"] = "请填写指标名称"
        points = _decimal(row.points, "分值", errors, f"{key}_points")
        deduction = _decimal(row.deduction, "每项扣分", errors, f"{key}_deduction")
        planned.append((row.indicator, name, points, deduction))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for indicator, name, points, deduction in planned:
            indicator.name, indicator.points, indicator.deduction = name, points, deduction
            indicator._history_user = acting_user
            indicator.save(update_fields=["name", "points", "deduction"])
    return rubric_of(office)


def scores_finalise(*, office: Agency, year: int, acting_user, today: date | None = None) -> list[YearScore]:
    """Freeze every unit's score of ``year`` with its evidence; only after the year has ended."""
    require_supervisor(acting_user, office)
    today = today or timezone.localdate()
    if today <= date(year, 12, 31):
        raise ValidationError(f"{year}年度尚未结束，不能定稿")
    with transaction.atomic():
        if YearScore.objects.filter(office=office, year=year).exists():
            raise ValidationError(f"{year}年度考核已定稿")
        now = timezone.now()
        return [YearScore.objects.create(office=office, agency=score.agency, year=year, total=score.total,
                                         evidence=score.as_json(), finalised_at=now, finalised_by=acting_user)
                for score in ranking(office, year, today=today)]
