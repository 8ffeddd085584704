from django.db import models


class AnnualReportRecord(models.Model):
    """An agency's annual report of a year as a JSON snapshot; a published version is locked."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        IN_REVIEW = "in_review", "审核"
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
