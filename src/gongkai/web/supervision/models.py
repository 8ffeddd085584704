"""The supervising office's records: its roster of units, and the weekly check-in (周打卡).

A supervising office (政务公开办, an agency where somebody holds the 主管部门 role) supervises
the agencies below it on gongkai; ``RosterUnit`` adds each unit's 联络员 and 分管领导, and
registers by name and portal address the units that do not use gongkai.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

DEFAULT_STALE_DAYS = 90  # a column with nothing new for a quarter is the common 考核 deduction
DEFAULT_RECTIFICATION_DAYS = 15


class RosterUnit(models.Model):
    """One unit of an office's roster: an agency on gongkai, or a unit known by name and portal only."""

    office = models.ForeignKey("agencies.Agency", verbose_name="监督机构", on_delete=models.CASCADE,
                               related_name="roster_units")
    agency = models.ForeignKey("agencies.Agency", verbose_name="单位（使用本系统）", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="roster_entries")
    name = models.CharField("单位名称", max_length=200)
    portal_url = models.URLField("门户网站地址", max_length=500, blank=True)
    liaison_name = models.CharField("联络员", max_length=60, blank=True)
    liaison_phone = models.CharField("联络员电话", max_length=30, blank=True)
    liaison_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="联络员账号", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    leader_name = models.CharField("分管领导", max_length=60, blank=True)
    leader_phone = models.CharField("分管领导电话", max_length=30, blank=True)
    leader_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="分管领导账号", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reports_subtree = models.BooleanField(
        "报告含下级单位数据", default=False,
        help_text="勾选：本单位年度报告的数字已包含其下级单位，汇总时不再重复计入下级单位，并核对本单位数字是否等于下级单位之和")
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "监督名册单位"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="roster_unit_unique_name"),
            models.UniqueConstraint(fields=["office", "agency"], name="roster_unit_unique_agency"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def on_gongkai(self) -> bool:
        return self.agency_id is not None


class OfficeSettings(models.Model):
    """An office's settings: the weekly check-in is due on ``weekday`` at ``due_time``; the monthly
    inspection reports a column not updated for ``stale_days`` days."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "星期一"
        TUESDAY = 1, "星期二"
        WEDNESDAY = 2, "星期三"
        THURSDAY = 3, "星期四"
        FRIDAY = 4, "星期五"
        SATURDAY = 5, "星期六"
        SUNDAY = 6, "星期日"

    office = models.OneToOneField("agencies.Agency", verbose_name="监督机构", on_delete=models.CASCADE,
                                  related_name="supervision_settings")
    weekday = models.PositiveSmallIntegerField("截止日", choices=Weekday.choices, default=Weekday.FRIDAY)
    due_time = models.TimeField("截止时间", default=time(17, 0))
    stale_days = models.PositiveIntegerField("专栏未更新天数", default=DEFAULT_STALE_DAYS,
                                             help_text="月巡查：超过这么多天没有新发布信息的专栏列为问题")
    rectification_days = models.PositiveIntegerField("整改期限（天）", default=DEFAULT_RECTIFICATION_DAYS)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "监督设置"

    def __str__(self) -> str:
        return f"{self.office} · 每{self.get_weekday_display()} {self.due_time:%H:%M}"


class CheckinItem(models.Model):
    """One question of an office's weekly check-in (e.g. 本周是否更新专栏)."""

    class Kind(models.TextChoices):
        YES_NO = "yes_no", "是/否"
        EVIDENCE = "evidence", "提供材料"

    office = models.ForeignKey("agencies.Agency", verbose_name="监督机构", on_delete=models.CASCADE,
                               related_name="checkin_items")
    text = models.CharField("打卡事项", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.YES_NO)
    position = models.PositiveIntegerField("顺序", default=0)
    active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "周打卡事项"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Checkin(models.Model):
    """A unit's answers to its office's items for the week starting ``week_start`` (a Monday)."""

    office = models.ForeignKey("agencies.Agency", verbose_name="监督机构", on_delete=models.CASCADE,
                               related_name="+")
    agency = models.ForeignKey("agencies.Agency", verbose_name="单位", on_delete=models.CASCADE,
                               related_name="checkins")
    week_start = models.DateField("周（星期一）")
    due_at = models.DateTimeField("截止时间")
    submitted_at = models.DateTimeField("报送时间")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "周打卡"
        ordering = ["-week_start", "agency__full_name"]
        constraints = [models.UniqueConstraint(fields=["office", "agency", "week_start"],
                                               name="checkin_unique_week")]

    def __str__(self) -> str:
        return f"{self.agency} · {self.week_start:%Y-%m-%d} 周"

    @property
    def is_late(self) -> bool:
        return self.submitted_at > self.due_at


class CheckinAnswer(models.Model):
    """The answer to one item; the item's text is kept as it was asked."""

    checkin = models.ForeignKey(Checkin, verbose_name="周打卡", on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(CheckinItem, verbose_name="事项", null=True, on_delete=models.SET_NULL, related_name="+")
    item_text = models.CharField("事项", max_length=200)
    answer = models.BooleanField("是否", null=True, blank=True)
    note = models.TextField("说明", max_length=2000, blank=True)
    publications = models.ManyToManyField("disclosure.Publication", verbose_name="佐证：主动公开", blank=True,
                                          related_name="+")
    applications = models.ManyToManyField("cases.Application", verbose_name="佐证：依申请", blank=True,
                                          related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "周打卡答复"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.item_text


class Finding(models.Model):
    """A problem found in a unit's 公开专栏 by the monthly inspection (月巡查), and its 整改.

    Assigned to the unit with a deadline; the unit replies with evidence; the office accepts
    the reply or returns it, and a returned finding is replied to again.  A unit that does not
    use gongkai is named by its roster entry (``roster_unit``, no ``agency``); its 联络员 account
    in the roster, if any, replies.
    """

    class Check(models.TextChoices):
        STALE_COLUMN = "stale_column", "专栏长期未更新"
        LATE_PUBLICATION = "late_publication", "超过第二十六条期限公开"
        ANNUAL_REPORT_MISSING = "annual_report_missing", "上年度年度报告未发布"
        NO_INTERPRETATION = "no_interpretation", "政策文件无解读"
        GUIDE = "guide", "公开指南缺失或过期"
        PORTAL_UNREACHABLE = "portal_unreachable", "门户网站无法访问"
        BROKEN_LINK = "broken_link", "链接打不开"
        BROKEN_ATTACHMENT = "broken_attachment", "附件无法打开"
        MANUAL = "manual", "人工检查发现"

    class State(models.TextChoices):
        ASSIGNED = "assigned", "待整改"
        REPLIED = "replied", "已答复待审核"
        RETURNED = "returned", "退回重新整改"
        ACCEPTED = "accepted", "整改通过"

    OPEN_STATES = (State.ASSIGNED, State.RETURNED)

    office = models.ForeignKey("agencies.Agency", verbose_name="监督机构", on_delete=models.CASCADE,
                               related_name="+")
    agency = models.ForeignKey("agencies.Agency", verbose_name="单位", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="findings")
    roster_unit = models.ForeignKey(RosterUnit, verbose_name="单位（未使用本系统）", null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="findings")
    month = models.DateField("巡查月份", help_text="当月第一天")
    kind = models.CharField("检查项", max_length=30, choices=Check.choices)
    subject = models.CharField("对象", max_length=200, blank=True,
                               help_text="自动检查的对象（如 publication:12、column:优化营商环境），同一对象未整改完不重复列出")
    description = models.TextField("问题", max_length=2000)
    publication = models.ForeignKey("disclosure.Publication", verbose_name="相关信息", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    found_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="巡查人", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("发现时间", auto_now_add=True)
    due_on = models.DateField("整改期限")
    state = FSMField("整改环节", max_length=20, choices=State.choices, default=State.ASSIGNED)
    reply = models.TextField("整改情况", max_length=2000, blank=True)
    reply_publications = models.ManyToManyField("disclosure.Publication", verbose_name="整改佐证", blank=True,
                                                related_name="+")
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    review_comment = models.TextField("审核意见", max_length=2000, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "巡查问题"
        ordering = ["-month", "agency__full_name", "roster_unit__name", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(agency__isnull=False) | models.Q(roster_unit__isnull=False),
                                              name="finding_names_a_unit")]

    def __str__(self) -> str:
        return f"{self.unit_name} · {self.get_kind_display()}"

    @property
    def unit_name(self) -> str:
        return self.agency.full_name if self.agency_id else self.roster_unit.name

    def is_overdue(self, today) -> bool:
        return self.state in self.OPEN_STATES and today > self.due_on

    @transition(field=state, source=[State.ASSIGNED, State.RETURNED], target=State.REPLIED)
    def mark_replied(self):
        pass

    @transition(field=state, source=State.REPLIED, target=State.ACCEPTED)
    def mark_accepted(self):
        pass

    @transition(field=state, source=State.REPLIED, target=State.RETURNED)
    def mark_returned(self):
        pass


class DigestLine(models.Model):
    """One item of one person's 日提醒 on one day: unique per (recipient, day, section, record), so a
    digest job that runs twice in a day reports (and e-mails) no item twice; the next day lists what
    is still outstanding afresh."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE,
                                  related_name="digest_lines")
    agency = models.ForeignKey("agencies.Agency", verbose_name="单位", on_delete=models.CASCADE,
                               related_name="digest_lines")
    day = models.DateField("提醒日期")
    section = models.CharField("提醒类别", max_length=30)
    record = models.CharField("记录", max_length=60, help_text="如 application:12、publication:3")
    text = models.CharField("内容", max_length=300)
    url = models.CharField("链接", max_length=200)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "日提醒条目"
        ordering = ["-day", "pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "day", "section", "record"],
                                               name="digest_line_unique")]

    def __str__(self) -> str:
        return self.text


class ReportFiling(models.Model):
    """One version of the annual report a unit not on gongkai files with its office (年度报告报送).

    Filed (已报送) → returned with comments (退回) or passed (已通过) → published (已发布).  A returned
    version stays as it was; the unit files again as a new version.  The published file (an upload
    or the page at its URL) is compared by sha256 with the version the office passed.
    """

    class State(models.TextChoices):
        FILED = "filed", "已报送"
        RETURNED = "returned", "退回"
        PASSED = "passed", "已通过"
        PUBLISHED = "published", "已发布"

    unit = models.ForeignKey(RosterUnit, verbose_name="单位", on_delete=models.CASCADE, related_name="filings")
    year = models.PositiveSmallIntegerField("年度")
    version = models.PositiveIntegerField("版本", default=1)
    file_name = models.CharField("文件名", max_length=255)
    source_url = models.URLField("报告网址", max_length=500, blank=True)
    content = models.BinaryField("文件内容")
    sha256 = models.CharField("SHA-256", max_length=64)
    report = models.JSONField("读取结果")
    state = FSMField("状态", max_length=20, choices=State.choices, default=State.FILED)
    filed_at = models.DateTimeField("报送时间")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    review_comment = models.TextField("审核意见", max_length=4000, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    published_name = models.CharField("发布的文件", max_length=255, blank=True)
    published_url = models.URLField("发布网址", max_length=500, blank=True)
    published_sha256 = models.CharField("发布文件 SHA-256", max_length=64, blank=True)
    published_at = models.DateTimeField("发布登记时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布登记人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(excluded_fields=["content", "report"])

    class Meta:
        verbose_name = verbose_name_plural = "年度报告报送"
        ordering = ["unit__name", "-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "version"], name="report_filing_version_unique")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} 年度报告（第 {self.version} 版）"

    @property
    def published_matches(self) -> bool | None:
        """Whether the published file is byte for byte the version passed; None before it is published."""
        if not self.published_sha256:
            return None
        return self.published_sha256 == self.sha256

    @transition(field=state, source=State.FILED, target=State.RETURNED)
    def mark_returned(self):
        pass

    @transition(field=state, source=State.FILED, target=State.PASSED)
    def mark_passed(self):
        pass

    @transition(field=state, source=[State.PASSED, State.PUBLISHED], target=State.PUBLISHED)
    def mark_published(self):
        pass


class Bulletin(models.Model):
    """An office's monthly 通报 (e.g. 关于2026年8月全区政务公开工作情况的通报).

    Generated as a draft from the month's records; the figures are kept as JSON (``figures``) so
    that once issued, a later change of the records does not change what was issued.  The
    free-text paragraphs are the supervisor's to edit until then.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        ISSUED = "issued", "已印发"

    office = models.ForeignKey("agencies.Agency", verbose_name="监督机构", on_delete=models.CASCADE,
                               related_name="bulletins")
    month = models.DateField("通报月份", help_text="当月第一天")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    title = models.CharField("标题", max_length=200)
    recipients = models.CharField("主送", max_length=500)
    issuer = models.CharField("发文机关", max_length=200)
    overview = models.TextField("一、基本情况", max_length=5000)
    problems = models.TextField("二、存在问题", max_length=5000)
    requirements = models.TextField("三、下一步工作要求", max_length=5000)
    figures = models.JSONField("数据（生成时冻结）")
    generated_at = models.DateTimeField("生成时间")
    issued_on = models.DateField("成文日期", null=True, blank=True)
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="印发人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "月度通报"
        ordering = ["-month", "office__full_name"]
        constraints = [models.UniqueConstraint(fields=["office", "month"], name="bulletin_unique_month")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_issued(self) -> bool:
        return self.state == self.State.ISSUED


class Indicator(models.Model):
    """One indicator of an office's 考核 rubric: ``points`` at most, ``deduction`` per defect, never below 0."""

    class Defect(models.TextChoices):
        OVERDUE_APPLICATION = "overdue_application", "逾期答复的申请"
        APPEAL_CORRECTED = "appeal_corrected", "被复议或诉讼纠错的案件"
        ANNUAL_REPORT_LATE = "annual_report_late", "未按时发布的年度报告"
        ANNUAL_REPORT_SIMILAR = "annual_report_similar", "与上年或其他单位雷同的年度报告"
        CHECKIN_MISSING = "checkin_missing", "未报送的周打卡"
        FINDING_LATE = "finding_late", "未按期整改的巡查问题"

    office = models.ForeignKey("agencies.Agency", verbose_name="监督机构", on_delete=models.CASCADE,
                               related_name="indicators")
    name = models.CharField("指标", max_length=100)
    defect = models.CharField("扣分依据", max_length=30, choices=Defect.choices)
    points = models.DecimalField("分值", max_digits=5, decimal_places=1)
    deduction = models.DecimalField("每项扣分", max_digits=5, decimal_places=1)
    position = models.PositiveIntegerField("顺序", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "考核指标"
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(points__gte=0) & models.Q(deduction__gte=0),
                                   name="indicator_points_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.points}分）"


class YearScore(models.Model):
    """A unit's finalised year-end 考核 score: the indicators, deductions and the records behind each,
    frozen as JSON when the office finalises it (until then the score is computed from the records)."""

    office = models.ForeignKey("agencies.Agency", verbose_name="监督机构", on_delete=models.CASCADE,
                               related_name="+")
    agency = models.ForeignKey("agencies.Agency", verbose_name="单位", on_delete=models.CASCADE,
                               related_name="year_scores")
    year = models.PositiveSmallIntegerField("年度")
    total = models.DecimalField("得分", max_digits=6, decimal_places=1)
    evidence = models.JSONField("指标、扣分及依据")
    finalised_at = models.DateTimeField("定稿时间")
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="定稿人", null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "年度考核得分"
        ordering = ["-year", "-total", "agency__full_name"]
        constraints = [models.UniqueConstraint(fields=["office", "agency", "year"], name="year_score_unique")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year} 年度考核 {self.total} 分"
