from django.db import models
from simple_history.models import HistoricalRecords

from gongkai.report import taxonomy as tx


class Appeal(models.Model):
    """An administrative review (行政复议) or lawsuit (行政诉讼) about an application's answer."""

    # Stored values are the taxonomy's keys (what ``annual/build.py`` counts by), labels its
    # official text: (member name, (value, label)) pairs.
    Kind = models.TextChoices("Kind", [(b.key.upper(), (b.key, (f"{b.parent}：" if b.parent else "") + b.label))
                                       for b in tx.APPEAL_BLOCK_LIST])
    Result = models.TextChoices("Result", [(key.upper(), (key, tx.APPEAL_COLUMNS[key].label))
                                           for key in tx.APPEAL_RESULTS])

    agency = models.ForeignKey("agencies.Agency", verbose_name="被申请人/被告机构", on_delete=models.PROTECT,
                               related_name="appeals")
    application = models.ForeignKey("cases.Application", verbose_name="所涉申请", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="appeals")
    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    case_number = models.CharField("案号", max_length=100, blank=True)
    filed_on = models.DateField("受理/立案日期")
    result = models.CharField("结果", max_length=20, choices=Result.choices, default="pending")
    decided_on = models.DateField("审结日期", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "行政复议与诉讼"
        ordering = ["-filed_on"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(result="pending", decided_on__isnull=True)
                           | (~models.Q(result="pending") & models.Q(decided_on__isnull=False))),
                name="appeal_decided_iff_result"),
            models.CheckConstraint(condition=models.Q(decided_on__isnull=True) | models.Q(decided_on__gte=models.F("filed_on")),
                                   name="appeal_decided_after_filed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number or self.pk}"

    def result_at(self, day) -> str:
        """The result as it stood at the end of ``day``: pending until decided."""
        if self.decided_on is None or self.decided_on > day:
            return "pending"
        return self.result
