from django.conf import settings
from django.db import models


class AnnualReportRecord(models.Model):
    """An agency's annual report of a year as a JSON snapshot; a published version is locked.

    draft (撰写) → in_review (审核) → approved (待签发) → published (已发布); a reviewer may
    return a version under review to draft.  A correction of a published version is a new
    version; earlier versions stay as they were.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        IN_REVIEW = "in_review", "审核"
        APPROVED = "approved", "待签发"
        PUBLISHED = "published", "已发布"

    agency = models.ForeignKey("agencies.Agency", verbose_name="机构", on_delete=models.PROTECT,
                               related_name="annual_reports")
    year = models.PositiveSmallIntegerField("年度")
    version = models.PositiveIntegerField("版本", default=1)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    snapshot = models.JSONField("报告数据")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度报告"
        ordering = ["agency", "-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "version"], name="annual_report_version_unique")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year} 年度报告（第 {self.version} 版）"

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_editable(self) -> bool:
        """Only a draft's section texts may change (under review and after, the text is fixed)."""
        return self.state == self.State.DRAFT


class AnnualReportEvent(models.Model):
    """Who did what to a version, and when (shown on the staff page, never edited)."""

    class Action(models.TextChoices):
        CREATED = "created", "生成草稿"
        REFRESHED = "refreshed", "从数据刷新（生成新版本）"
        SECTIONS_SAVED = "sections_saved", "修改正文"
        SUBMITTED = "submitted", "提交审核"
        APPROVED = "approved", "审核通过"
        RETURNED = "returned", "审核退回"
        PUBLISHED = "published", "签发发布"
        CORRECTED = "corrected", "更正（生成新版本）"

    record = models.ForeignKey(AnnualReportRecord, verbose_name="年度报告", on_delete=models.CASCADE,
                               related_name="events")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    from_state = models.CharField("原状态", max_length=20, blank=True)
    to_state = models.CharField("新状态", max_length=20, blank=True)
    acting_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    comment = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度报告操作记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.record} · {self.get_action_display()}"
