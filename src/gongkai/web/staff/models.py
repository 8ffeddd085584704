"""Every view of an applicant's unmasked personal data is logged here."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PersonalDataAccess(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="查看人", on_delete=models.PROTECT,
                             related_name="+")
    application = models.ForeignKey("cases.Application", verbose_name="申请", on_delete=models.CASCADE,
                                    related_name="personal_data_accesses")
    at = models.DateTimeField("查看时间", auto_now_add=True)
    fields = models.CharField("查看的信息", max_length=200)
    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "个人信息查看记录"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {self.application} · {self.at:%Y-%m-%d %H:%M}"
