"""Applications for government information (依申请公开) and the facts of their handling.

Facts are stored (dates received, 补正, consultations, the approved extension, the day the
answer was delivered); judgements — the reply due date and whether it is overdue — are
derived from them with ``gongkai.workdays`` and never stored.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from gongkai.report import taxonomy as tx
from gongkai.web.counters import AgencyYearCounter
from gongkai.web.schedules.calendar import site_calendar
from gongkai.workdays import (
    Period,
    ReplyDeadline,
    WorkCalendar,
    correction_notice_due,
    correction_period_end,
    reply_due,
)

APPLICANT_TYPE_CHOICES = [(key, tx.APPLICANT_COLUMNS[key].label) for key in tx.APPLICANT_PARTS]
OUTCOME_CHOICES = [(key, tx.outcome_short_label(key)) for key in tx.OUTCOME_KEYS]


class Application(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", "网上"
        LETTER = "letter", "信函"
        IN_PERSON = "in_person", "当面"
        FAX = "fax", "传真"
        EMAIL = "email", "电子邮件"

    class State(models.TextChoices):
        REGISTERED = "registered", "登记"
        REVIEWING = "reviewing", "审查"
        AWAITING_CORRECTION = "awaiting_correction", "待补正"
        ABANDONED = "abandoned", "逾期未补正（视为放弃）"
        HANDLING = "handling", "承办/检索"
        AWAITING_FEE = "awaiting_fee", "待缴纳信息处理费"
        FEE_UNPAID = "fee_unpaid", "逾期未缴费（不再处理）"
        CONSULTING = "consulting", "征求意见"
        DRAFTED = "drafted", "拟办答复"
        REVIEWED = "reviewed", "审核通过"
        SIGNED = "signed", "签发"
        DELIVERED = "delivered", "送达"
        ARCHIVED = "archived", "归档"

    # States in which the application is closed (办结): answered, abandoned after 补正, or not
    # processed further because a fee notice went unpaid.
    CLOSED_STATES = (State.ABANDONED, State.FEE_UNPAID, State.DELIVERED, State.ARCHIVED)
    # The others, named (not "not closed") so that a query over many agencies reads only open cases
    # from the (agency, state, received_on) index.
    OPEN_STATES = (State.REGISTERED, State.REVIEWING, State.AWAITING_CORRECTION, State.HANDLING, State.AWAITING_FEE,
                   State.CONSULTING, State.DRAFTED, State.REVIEWED, State.SIGNED)

    agency = models.ForeignKey("agencies.Agency", verbose_name="受理机构", on_delete=models.PROTECT,
                               related_name="applications")
    number = models.CharField("申请编号", max_length=40, unique=True)
    query_code_hash = models.CharField("查询码摘要", max_length=64, editable=False)

    applicant_type = models.CharField("申请人类型", max_length=20, choices=APPLICANT_TYPE_CHOICES)
    applicant_name = models.CharField("申请人姓名或名称", max_length=200)
    applicant_id_number = models.CharField("证件号码", max_length=40, blank=True)
    applicant_phone = models.CharField("联系电话", max_length=40, blank=True)
    applicant_email = models.EmailField("电子邮箱", blank=True)
    applicant_address = models.CharField("通信地址", max_length=300, blank=True)
    information_sought = models.TextField("所需政府信息的名称或描述", blank=True)
    delivery_form = models.CharField("获取信息的方式", max_length=60, blank=True)
    channel = models.CharField("申请方式", max_length=20, choices=Channel.choices)
    received_on = models.DateField(
        "收到申请日期",
        help_text="条例第三十一条：当面提交的以提交之日，邮寄的以签收之日，平常信函等无需签收的以双方确认之日，"
                  "网上或电子邮件提交的以双方确认之日为收到申请之日。")
    registered_at = models.DateTimeField("登记时间")

    state = FSMField("办理环节", max_length=30, choices=State.choices, default=State.REGISTERED)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="assigned_applications",
                                 help_text="转承办时由接手的承办人员担任，可转交；期限提醒发给承办人")
    correction_requested_on = models.DateField("补正告知日期", null=True, blank=True)
    correction_received_on = models.DateField("补正收到日期", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField("申请延期工作日数", default=0)
    extension_reason = models.CharField("延期理由", max_length=300, blank=True)
    extension_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="延期批准人", null=True,
                                              blank=True, on_delete=models.PROTECT, related_name="+")
    extension_approved_on = models.DateField("延期批准日期", null=True, blank=True)
    outcome = models.CharField("办理结果", max_length=40, choices=OUTCOME_CHOICES, blank=True)
    outcome_note = models.TextField("结果说明", blank=True, help_text="写入答复告知书的补充说明")
    withheld_reason = models.TextField("不予公开的部分及理由", blank=True,
                                       help_text="部分公开时必填，写入答复告知书“二、不予公开的部分及理由”")
    closed_on = models.DateField("办结日期", null=True, blank=True,
                                 help_text="答复送达之日，或逾期未补正视为放弃之日")

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "政府信息公开申请"
        ordering = ["-received_on", "-pk"]
        # The staff list pages through an agency's cases newest first, all or in one state.
        indexes = [models.Index(fields=["agency", "received_on"]), models.Index(fields=["agency", "closed_on"]),
                   models.Index(fields=["agency", "state", "received_on"], name="application_agency_state"),
                   models.Index(fields=["assignee", "received_on"], name="application_assignee"),
                   # The supervisor's dashboard counts a subtree's answered cases by month from the index alone.
                   models.Index(fields=["agency", "closed_on", "state", "received_on"], name="application_answered")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True) | models.Q(closed_on__gte=models.F("received_on")),
                name="application_closed_after_received"),
            models.CheckConstraint(condition=models.Q(extension_days__lte=20), name="application_extension_at_most_20"),
        ]

    def __str__(self) -> str:
        return self.number

    # ------------------------------------------------------------ derived state

    @property
    def is_closed(self) -> bool:
        return self.state in self.CLOSED_STATES

    @property
    def approved_extension_days(self) -> int:
        return self.extension_days if self.extension_approved_on else 0

    def registration_due(self, *, calendar: WorkCalendar | None = None) -> date:
        """Applications received offline are registered within GONGKAI_REGISTRATION_WORKING_DAYS working days."""
        calendar = calendar or site_calendar()
        return calendar.add_working_days(self.received_on, settings.GONGKAI_REGISTRATION_WORKING_DAYS)

    def is_registered_late(self, *, calendar: WorkCalendar | None = None) -> bool:
        return timezone.localdate(self.registered_at) > self.registration_due(calendar=calendar)

    def consultation_periods(self, *, today: date | None = None) -> list[Period]:
        """Finished consultations, and an open one as running through ``today`` (clock paused so far)."""
        periods = []
        for consultation in self.consultations.all():
            end = consultation.end_on or today
            if end is not None:
                periods.append(Period(consultation.start_on, end))
        return periods

    def reply_deadline(self, *, today: date | None = None, calendar: WorkCalendar | None = None) -> ReplyDeadline:
        """The reply due date with its explanation (条例第三十条、第三十三条), from the stored facts."""
        return reply_due(
            self.received_on,
            correction_received=self.correction_received_on,
            correction_requested=self.correction_requested_on,
            consultations=self.consultation_periods(today=today),
            extension_days=self.approved_extension_days,
            calendar=calendar or site_calendar(),
        )

    def correction_period_end(self, *, calendar: WorkCalendar | None = None) -> date | None:
        """The last day of the 补正 period the notice gave the applicant (条例第三十条：合理的补正期限)."""
        if self.correction_requested_on is None:
            return None
        return correction_period_end(self.correction_requested_on, calendar=calendar or site_calendar())

    def is_correction_notice_late(self, *, calendar: WorkCalendar | None = None) -> bool:
        """条例第三十条: the notice went out after the 7th working day from receipt (recorded, shown as late)."""
        if self.correction_requested_on is None:
            return False
        due = correction_notice_due(self.received_on, calendar=calendar or site_calendar())
        return self.correction_requested_on > due

    def may_request_correction(self) -> bool:
        """条例第三十条: 一次性告知 — one 补正 notice per application."""
        return self.correction_requested_on is None

    def is_overdue(self, today: date, *, calendar: WorkCalendar | None = None) -> bool:
        """Closed after its due date, or still open after it (spec/ledger.md)."""
        due = self.reply_deadline(today=today, calendar=calendar).due
        if self.closed_on is not None:
            return self.closed_on > due
        return today > due

    # ------------------------------------------------------------ transitions (called by services only)

    @transition(field=state, source=State.REGISTERED, target=State.REVIEWING)
    def start_review(self):
        pass

    @transition(field=state, source=State.REVIEWING, target=State.AWAITING_CORRECTION,
                conditions=[may_request_correction])
    def request_correction(self, requested_on: date):
        self.correction_requested_on = requested_on

    @transition(field=state, source=State.AWAITING_CORRECTION, target=State.REVIEWING)
    def receive_correction(self, received_on: date):
        self.correction_received_on = received_on

    @transition(field=state, source=State.AWAITING_CORRECTION, target=State.ABANDONED)
    def abandon(self, on: date):
        self.outcome = "other.no_correction"
        self.closed_on = on

    @transition(field=state, source=State.REVIEWING, target=State.HANDLING)
    def accept(self, assignee):
        self.assignee = assignee

    @transition(field=state, source=State.HANDLING, target=State.CONSULTING)
    def start_consultation(self):
        pass

    @transition(field=state, source=State.CONSULTING, target=State.HANDLING)
    def end_consultation(self):
        pass

    @transition(field=state, source=State.HANDLING, target=State.DRAFTED)
    def draft_reply(self, outcome: str, note: str, withheld_reason: str = ""):
        self.outcome = outcome
        self.outcome_note = note
        self.withheld_reason = withheld_reason

    @transition(field=state, source=State.DRAFTED, target=State.REVIEWED)
    def approve_review(self):
        pass

    @transition(field=state, source=State.DRAFTED, target=State.HANDLING)
    def return_for_rework(self):
        pass

    @transition(field=state, source=State.REVIEWED, target=State.SIGNED)
    def sign(self):
        pass

    @transition(field=state, source=State.SIGNED, target=State.DELIVERED)
    def deliver(self, on: date):
        self.closed_on = on

    @transition(field=state, source=[State.DELIVERED, State.ABANDONED, State.FEE_UNPAID], target=State.ARCHIVED)
    def archive(self):
        pass

    # 信息处理费 (条例第四十二条, 国办函〔2020〕109号): see ``cases/fees.py``.

    @transition(field=state, source=State.HANDLING, target=State.AWAITING_FEE)
    def issue_fee_notice(self):
        pass

    @transition(field=state, source=State.AWAITING_FEE, target=State.HANDLING)
    def receive_fee(self):
        pass

    @transition(field=state, source=State.AWAITING_FEE, target=State.FEE_UNPAID)
    def close_for_unpaid_fee(self, on: date):
        self.outcome = "other.unpaid_fee"
        self.closed_on = on


class Consultation(models.Model):
    """征求意见 (条例第三十二条、第三十四条): its days, first and last included, do not count."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="consultations")
    party = models.CharField("征求意见对象", max_length=200)
    start_on = models.DateField("征求意见开始日期")
    end_on = models.DateField("征求意见结束日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "征求意见"
        ordering = ["start_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_on__isnull=True) | models.Q(end_on__gte=models.F("start_on")),
                                   name="consultation_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.party} {self.start_on}–{self.end_on or ''}"


class ApplicationEvent(models.Model):
    """A readable log line per statutory step; django-simple-history keeps the field-level record."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=40)
    from_state = models.CharField("原环节", max_length=30, blank=True)
    to_state = models.CharField("新环节", max_length=30, blank=True)
    acting_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True,
                                    on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    message = models.CharField("说明", max_length=300)
    data = models.JSONField("数据", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "办理记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.message


class ApplicationNumberCounter(AgencyYearCounter):
    """The last application number given per agency and year (see ``gongkai.web.counters``)."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="number_counter_unique")]


class LetterKind(models.TextChoices):
    """The letters the system writes: one answer letter per outcome group, and three notices."""

    GRANTED = "granted", "答复告知书：予以公开"
    PARTIALLY_GRANTED = "partially_granted", "答复告知书：部分公开"
    WITHHELD = "withheld", "答复告知书：不予公开"
    UNABLE = "unable", "答复告知书：无法提供"
    NOT_PROCESSED = "not_processed", "答复告知书：不予处理"
    OTHER = "other", "答复告知书：其他处理（不再处理等）"
    CORRECTION = "correction", "补正告知书"
    EXTENSION = "extension", "延期答复告知书"
    FEE = "fee", "信息处理费收费通知书"


class ReplyTemplate(models.Model):
    """An agency's own wording of one kind of letter; without one the built-in default is used.

    The body is a Django template string over the placeholders of ``cases/letters/body.py``
    (each non-empty line is one paragraph).  ``clean`` renders it against sample data, so a
    syntax error or an unknown placeholder is refused before it is stored.
    """

    agency = models.ForeignKey("agencies.Agency", verbose_name="机构", on_delete=models.CASCADE,
                               related_name="reply_templates")
    kind = models.CharField("文书类型", max_length=30, choices=LetterKind.choices)
    body = models.TextField("正文模板", help_text="每一行为一段。可用的占位符见下方说明，例如 {{ applicant_name }}。")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "答复文书模板"
        ordering = ["agency", "kind"]
        constraints = [models.UniqueConstraint(fields=["agency", "kind"], name="reply_template_unique_kind")]

    def __str__(self) -> str:
        return f"{self.agency} · {self.get_kind_display()}"

    def clean(self):
        from .letters.body import validate_body  # letters imports this module

        validate_body(self.body, field="body")


class FeeNotice(models.Model):
    """收费通知 of 信息处理费 (条例第四十二条, 国办函〔2020〕109号): the amount, its arithmetic and payment."""

    class Basis(models.TextChoices):
        PER_APPLICATION = "per_application", "按件计收"
        PER_PAGE = "per_page", "按量计收"

    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.CASCADE,
                                    related_name="fee_notices")
    basis = models.CharField("计收方式", max_length=20, choices=Basis.choices)
    first_item = models.PositiveIntegerField("本月累计件次（起）", null=True, blank=True,
                                             help_text="按件计收时，本申请是该申请人本月向本机关提出的第几件")
    items = models.PositiveSmallIntegerField("本申请计件数", null=True, blank=True)
    pages = models.PositiveIntegerField("页数", null=True, blank=True)
    amount = models.PositiveIntegerField("金额（元）")
    explanation = models.CharField("计算过程", max_length=500)
    issued_on = models.DateField("通知日期")
    due_on = models.DateField("缴费期限")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="开具人", on_delete=models.PROTECT,
                                  related_name="+")
    paid_on = models.DateField("缴费日期", null=True, blank=True)
    lapsed_on = models.DateField("逾期未缴费处理日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "信息处理费收费通知"
        ordering = ["issued_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="fee_notice_amount_positive"),
            models.CheckConstraint(condition=models.Q(due_on__gte=models.F("issued_on")),
                                   name="fee_notice_due_after_issue"),
            models.CheckConstraint(condition=models.Q(paid_on__isnull=True) | models.Q(lapsed_on__isnull=True),
                                   name="fee_notice_paid_or_lapsed"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.amount} 元 · {self.issued_on}"

    @property
    def is_open(self) -> bool:
        return self.paid_on is None and self.lapsed_on is None
