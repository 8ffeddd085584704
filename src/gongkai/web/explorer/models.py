"""The explorer's one site-wide switch: whether the public sees /corpus/ without logging in."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ExplorerSettings(models.Model):
    """One row for the whole site (pk 1), set by a superuser in the admin."""

    public = models.BooleanField(
        "向公众开放", default=False,
        help_text="开放后，未登录的访问者也可以查看 /corpus/（语料库只含已发布的年度报告，没有个人信息）。"
                  "环境变量 GONGKAI_CORPUS_PUBLIC=1 也会开放。")
    changed_at = models.DateTimeField("修改时间", auto_now=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True,
                                   editable=False, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "年度报告语料库设置"

    def __str__(self) -> str:
        return "语料库：向公众开放" if self.public else "语料库：仅工作人员"
