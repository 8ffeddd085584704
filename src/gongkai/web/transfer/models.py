"""Every export and import of an agency's records is recorded: an export carries applicants' personal data."""

from __future__ import annotations

from django.db import models


class TransferRecord(models.Model):
    class Kind(models.TextChoices):
        EXPORT = "export", "导出"
        IMPORT = "import", "导入"

    kind = models.CharField("操作", max_length=10, choices=Kind.choices)
    agency = models.ForeignKey("agencies.Agency", verbose_name="机构", on_delete=models.CASCADE,
                               related_name="transfers")
    at = models.DateTimeField("时间", auto_now_add=True)
    operator = models.CharField("操作人（操作系统账号@主机）", max_length=200)
    archive = models.CharField("归档文件", max_length=500)
    sha256 = models.CharField("归档文件 SHA-256", max_length=64)
    counts = models.JSONField("各类记录条数", default=dict)

    class Meta:
        verbose_name = verbose_name_plural = "数据导出导入记录"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.agency} · {self.at:%Y-%m-%d %H:%M}"
