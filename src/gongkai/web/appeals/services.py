"""Registering and deciding administrative reviews and lawsuits (table 四).

Who may act, in the appeal's own agency (the 被申请人/被告):

* register and record the result — 承办 or 机构管理员: the people who handle the
  agency's information-disclosure cases also answer for them in review and court;
* correct a recorded appeal (any field, with a reason) — 机构管理员 only, since it
  rewrites a fact table 四 has already counted;
* a supervisor (主管部门) of a parent agency sees the appeals of its subtree, read-only.

Each service is keyword-only, runs in one transaction, checks the role (superusers pass)
and validates before saving; bad input raises ``ValidationError`` with a Chinese message.
django-simple-history keeps every version with the acting user and, for corrections, the
reason.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.agencies.selectors import user_roles_in
from gongkai.web.cases.models import Application

from .models import Appeal

Role = Membership.Role
Kind = Appeal.Kind
Result = Appeal.Result

ACTION_ROLES: dict[str, tuple[str, ...]] = {
    "register": (Role.HANDLER, Role.AGENCY_ADMIN),
    "decide": (Role.HANDLER, Role.AGENCY_ADMIN),
    "correct": (Role.AGENCY_ADMIN,),
}
CORRECTABLE_FIELDS = ("kind", "case_number", "filed_on", "result", "decided_on", "application")


def appeal_may(user, action: str, agency: Agency) -> bool:
    """Whether ``user`` may take ``action`` on appeals of ``agency`` (the pages ask this too)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user_roles_in(user, agency) & set(ACTION_ROLES[action]))


def _require(user, action: str, agency: Agency) -> None:
    if not appeal_may(user, action, agency):
        labels = "或".join(Role(role).label for role in ACTION_ROLES[action])
        raise PermissionDenied(f"需要在「{agency}」担任{labels}岗位才能执行此操作")


def _validate(appeal: Appeal, *, today: date) -> None:
    """The rules beyond the model's own constraints, each with a message naming the field."""
    errors: dict[str, str] = {}
    if appeal.kind not in Kind.values:
        errors["kind"] = f"未知的类型「{appeal.kind}」，应为{'、'.join(Kind.labels)}之一"
    if appeal.result not in Result.values:
        errors["result"] = f"未知的结果「{appeal.result}」，应为{'、'.join(Result.labels)}之一"
    if appeal.filed_on and appeal.filed_on > today:
        errors["filed_on"] = "受理/立案日期不能晚于今天"
    if appeal.result == Result.PENDING and appeal.decided_on is not None:
        errors["decided_on"] = "尚未审结的案件不能填写审结日期"
    if appeal.result not in ("", Result.PENDING) and appeal.decided_on is None:
        errors["decided_on"] = "已审结的案件必须填写审结日期"
    if appeal.decided_on and appeal.filed_on and appeal.decided_on < appeal.filed_on:
        errors["decided_on"] = (f"审结日期 {appeal.decided_on:%Y-%m-%d} 早于受理/立案日期 {appeal.filed_on:%Y-%m-%d}")
    elif appeal.decided_on and appeal.decided_on > today:
        errors["decided_on"] = "审结日期不能晚于今天"
    application = appeal.application
    if application is not None:
        if application.agency_id != appeal.agency_id:
            errors["application"] = f"申请 {application.number} 不是「{appeal.agency}」的申请"
        elif appeal.filed_on and appeal.filed_on < application.received_on:
            errors["filed_on"] = (f"受理/立案日期 {appeal.filed_on:%Y-%m-%d} 早于所涉申请的收到日期 "
                                  f"{application.received_on:%Y-%m-%d}")
    if appeal.kind == Kind.LITIGATION_AFTER_REVIEW and "kind" not in errors:
        _check_prior_review(appeal, errors)
    if appeal.case_number:
        twin = Appeal.objects.filter(agency_id=appeal.agency_id, kind=appeal.kind, case_number=appeal.case_number)
        if twin.exclude(pk=appeal.pk).exists():
            errors["case_number"] = f"案号「{appeal.case_number}」已登记过"
    if errors:
        raise ValidationError(errors)


def _check_prior_review(appeal: Appeal, errors: dict[str, str]) -> None:
    """复议后起诉 presupposes a 行政复议 of the same application, decided before the suit was filed."""
    if appeal.application is None:
        errors["application"] = "复议后起诉必须关联所涉申请（以便核对此前的行政复议）"
        return
    reviews = Appeal.objects.filter(application=appeal.application, kind=Kind.REVIEW).exclude(pk=appeal.pk)
    if not reviews.exists():
        errors["kind"] = f"申请 {appeal.application.number} 没有登记过行政复议，不能登记为复议后起诉"
        return
    if appeal.filed_on and not reviews.filter(decided_on__lte=appeal.filed_on).exists():
        errors["filed_on"] = (f"申请 {appeal.application.number} 的行政复议在 {appeal.filed_on:%Y-%m-%d} "
                              "之前尚未审结，不能登记为复议后起诉")


def _save(appeal: Appeal, acting_user, reason: str = "") -> Appeal:
    appeal.full_clean(exclude=["kind", "result"])  # those two are checked with Chinese messages above
    appeal._history_user = acting_user
    if reason:
        appeal._change_reason = reason[:100]
    appeal.save()
    return appeal


@transaction.atomic
def appeal_register(*, agency: Agency, acting_user, kind: str, filed_on: date, application: Application | None = None,
                    case_number: str = "", result: str = Result.PENDING, decided_on: date | None = None) -> Appeal:
    """Register a review or lawsuit against ``agency``; a finished one may be registered with its result."""
    _require(acting_user, "register", agency)
    appeal = Appeal(agency=agency, application=application, kind=kind, case_number=(case_number or "").strip(),
                    filed_on=filed_on, result=result or Result.PENDING, decided_on=decided_on)
    _validate(appeal, today=timezone.localdate())
    return _save(appeal, acting_user)


@transaction.atomic
def appeal_decide(*, appeal: Appeal, acting_user, result: str, decided_on: date) -> Appeal:
    """Record the result (维持/纠正/其他) of a pending appeal on the day it was decided."""
    locked = Appeal.objects.select_for_update(of=("self",)).select_related("agency", "application").get(pk=appeal.pk)
    _require(acting_user, "decide", locked.agency)
    if locked.result != Result.PENDING:
        raise ValidationError({"result": f"该案件已于 {locked.decided_on:%Y-%m-%d} 审结（{locked.get_result_display()}），"
                                         "如需修改请由机构管理员更正"})
    if result == Result.PENDING:
        raise ValidationError({"result": "请选择审结结果（结果维持、结果纠正或其他结果）"})
    if decided_on is None:
        raise ValidationError({"decided_on": "请填写审结日期"})
    locked.result, locked.decided_on = result, decided_on
    _validate(locked, today=timezone.localdate())
    return _save(locked, acting_user)


@transaction.atomic
def appeal_correct(*, appeal: Appeal, acting_user, reason: str, **changes) -> Appeal:
    """Change recorded facts of an appeal (e.g. a wrong date, or reopen it as pending), with the reason kept."""
    locked = Appeal.objects.select_for_update(of=("self",)).select_related("agency", "application").get(pk=appeal.pk)
    _require(acting_user, "correct", locked.agency)
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationError(f"不能更正这些字段：{'、'.join(sorted(unknown))}")
    if not (reason or "").strip():
        raise ValidationError({"reason": "更正必须写明理由"})
    for name, value in changes.items():
        setattr(locked, name, value)
    _validate(locked, today=timezone.localdate())
    return _save(locked, acting_user, reason.strip())
