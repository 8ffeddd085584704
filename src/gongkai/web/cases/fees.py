"""信息处理费 in the case flow: 收费通知, payment, and 不再处理 when the period lapses unpaid.

The amounts come from ``gongkai.workdays.fees`` (国办函〔2020〕109号 第三条–第五条).  Per
application one basis is used, never both (第三条):

* 按件 (第四条): the applicant's cumulative count of applications to this agency in the
  calendar month of receipt, up to and including this one, decides the rate of this
  application's 件 (one, or more when the application is split by "一事一申请").  The
  applicant is the same when the identity number is the same, or — without an identity
  number — when name and phone are the same.  Earlier applications count one 件 each.
* 按量 (第五条): the pages entered by the handler.

Choices where legal-rules.md has no text (the 办法 from 第六条 on was not found):

* the applicant has ``FEE_PAYMENT_WORKING_DAYS`` (20) working days from the notice to pay;
* the reply clock is **not** paused while a fee is unpaid — the domain document does not
  confirm that payment time is excluded, so the statutory period keeps running;
* when the period lapses unpaid, a step closes the application with the official outcome
  ``other.unpaid_fee`` (table 三 （六）2, 不再处理).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Trim, Upper
from django.utils import timezone

from gongkai.web.schedules.calendar import site_calendar
from gongkai.workdays import WorkCalendar
from gongkai.workdays.errors import WorkdaysError
from gongkai.workdays.fees import Fee, fee_by_pages, fee_for_applications

from .models import Application, FeeNotice
from .services import _require_permission, _step

FEE_PAYMENT_WORKING_DAYS = 20
MAX_ITEMS_PER_APPLICATION = 50  # 一事一申请 splitting beyond this is a typing error, not a request


@dataclass(frozen=True)
class FeeQuote:
    basis: str  # FeeNotice.Basis value
    fee: Fee
    first_item: int | None = None  # 按件: this application's first 件 in the month
    items: int | None = None
    pages: int | None = None

    @property
    def amount(self) -> int:
        return self.fee.amount

    def explain(self) -> str:
        if self.basis == FeeNotice.Basis.PER_PAGE:
            return self.fee.explain()
        last = self.first_item + self.items - 1
        month = f"本月累计第 {self.first_item} 件" if self.items == 1 else f"本月累计第 {self.first_item}—{last} 件"
        bands = "；".join(f"第 {band.span} 件 × {band.rate} 元 = {band.amount} 元" for band in self.fee.bands)
        return f"按件计收，{month}：{bands}；合计 {self.amount} 元"


def same_applicant(application: Application) -> QuerySet[Application]:
    """Applications to the same agency by the same applicant: same ID number, else same name and phone."""
    # Compared trimmed and upper-cased: an ID number typed with a lower-case x or a stray space is the same.
    others = Application.objects.filter(agency=application.agency).annotate(
        id_key=Upper(Trim("applicant_id_number")), phone_key=Trim("applicant_phone"))
    id_number = application.applicant_id_number.strip().upper()
    if id_number:
        return others.filter(id_key=id_number)
    phone = application.applicant_phone.strip()
    if phone:
        return others.filter(id_key="", applicant_name=application.applicant_name, phone_key=phone)
    raise ValidationError("申请人没有登记证件号码或联系电话，无法认定同一申请人，不能按件计收")


def applications_in_month_through(application: Application) -> int:
    """This application's place among the applicant's applications received in its calendar month."""
    received = application.received_on
    return (same_applicant(application)
            .filter(received_on__year=received.year, received_on__month=received.month)
            .filter(Q(received_on__lt=received) | Q(received_on=received, pk__lte=application.pk))
            .count())


def fee_quote(application: Application, *, basis: str, pages: int | None = None, items: int | None = None) -> FeeQuote:
    """What ``application`` would be charged on ``basis``; a ValidationError names a missing or bad input."""
    if basis == FeeNotice.Basis.PER_PAGE:
        if pages is None or pages < 1:
            raise ValidationError("按量计收须填写页数（正整数）")
        return FeeQuote(basis, fee_by_pages(pages), pages=pages)
    if basis != FeeNotice.Basis.PER_APPLICATION:
        raise ValidationError(f"计收方式「{basis}」无效，应为按件计收或按量计收")
    items = 1 if items is None else items
    if not 1 <= items <= MAX_ITEMS_PER_APPLICATION:
        raise ValidationError(f"本申请计件数应为 1 至 {MAX_ITEMS_PER_APPLICATION}")
    first = applications_in_month_through(application)
    return FeeQuote(basis, fee_for_applications(first, items), first_item=first, items=items)


def fee_payment_due(issued_on: date, *, calendar: WorkCalendar | None = None) -> date:
    calendar = calendar or site_calendar()
    try:
        return calendar.add_working_days(issued_on, FEE_PAYMENT_WORKING_DAYS)
    except WorkdaysError as error:
        raise ValidationError(f"无法计算缴费期限：{error}") from None


def _not_in_future(day: date, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(f"{label}不能晚于今天")


def open_fee_notice(application: Application) -> FeeNotice | None:
    return application.fee_notices.filter(paid_on__isnull=True, lapsed_on__isnull=True).first()


@transaction.atomic
def application_issue_fee_notice(*, application: Application, acting_user, basis: str, issued_on: date,
                                  pages: int | None = None, items: int | None = None) -> Application:
    """收费通知: only when the applicant passes a threshold (the amount is above zero)."""
    _require_permission(acting_user, "issue_fee_notice", application)  # before counting the applicant's cases
    if issued_on < application.received_on:
        raise ValidationError("收费通知日期不能早于收到申请日期")
    _not_in_future(issued_on, "收费通知日期")
    quote = fee_quote(application, basis=basis, pages=pages, items=items)
    if quote.amount <= 0:
        raise ValidationError(f"未超过收费标准，不收取信息处理费（{quote.explain()}）")
    due_on = fee_payment_due(issued_on)

    def apply(a: Application) -> None:
        a.issue_fee_notice()
        FeeNotice.objects.create(application=a, basis=quote.basis, first_item=quote.first_item, items=quote.items,
                                 pages=quote.pages, amount=quote.amount, explanation=quote.explain()[:500],
                                 issued_on=issued_on, due_on=due_on, issued_by=acting_user)

    return _step(application, acting_user, "issue_fee_notice", f"发出收费通知：信息处理费 {quote.amount} 元", apply,
                 {"basis": quote.basis, "amount": quote.amount, "issued_on": issued_on.isoformat(),
                  "due_on": due_on.isoformat()})


@transaction.atomic
def application_record_fee_payment(*, application: Application, acting_user, paid_on: date) -> Application:
    """The fee was paid within the period: handling goes on."""
    _not_in_future(paid_on, "缴费日期")

    def apply(a: Application) -> None:
        a.receive_fee()
        notice = open_fee_notice(a)
        if notice is None:
            raise ValidationError("没有待缴费的收费通知")
        if paid_on < notice.issued_on:
            raise ValidationError("缴费日期不能早于收费通知日期")
        if paid_on > notice.due_on:
            raise ValidationError(f"缴费期限已于 {notice.due_on:%Y-%m-%d} 届满，应作逾期未缴费处理")
        notice.paid_on = paid_on
        notice.save(update_fields=["paid_on"])

    return _step(application, acting_user, "record_fee_payment", "已缴纳信息处理费", apply,
                 {"paid_on": paid_on.isoformat()})


@transaction.atomic
def application_close_unpaid_fee(*, application: Application, acting_user, on: date) -> Application:
    """逾期未缴费: after the payment period the application is not processed further (other.unpaid_fee)."""
    _not_in_future(on, "逾期未缴费处理日期")

    def apply(a: Application) -> None:
        notice = open_fee_notice(a)
        if notice is None:
            raise ValidationError("没有待缴费的收费通知")
        if on <= notice.due_on:
            raise ValidationError(f"缴费期限至 {notice.due_on:%Y-%m-%d} 尚未届满，不能作逾期未缴费处理")
        a.close_for_unpaid_fee(on)
        notice.lapsed_on = on
        notice.save(update_fields=["lapsed_on"])

    return _step(application, acting_user, "close_unpaid_fee", "逾期未缴纳信息处理费，不再处理", apply,
                 {"on": on.isoformat()})
