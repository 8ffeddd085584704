"""The applicant-facing side: who registers online applications, and which form produced which application."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import models

from gongkai.web.agencies.models import Agency
from gongkai.web.cases.rules import step_permission

ONLINE_INTAKE_USERNAME = "online-intake"


class OnlineIntakeUser(User):
    """The acting user of ``application_register`` for the public form (channel 网上).

    It holds no membership, so it sees no case; it may only register, and only through this
    proxy (the same row loaded as a plain ``User`` has no permission at all). Its password is
    unusable, so nobody can log in as it. The events it writes read "登记申请 · online-intake".
    """

    class Meta:
        proxy = True
        verbose_name = verbose_name_plural = "网上申请登记（系统）"

    def has_perm(self, perm, obj=None) -> bool:
        return self.is_active and perm == step_permission("register") and isinstance(obj, Agency)


class PublicSubmission(models.Model):
    """One row per submitted application form — the public form or a staff registration form.

    The form token is unique, so a double submit registers once (``services.register_once``).
    ``sealed_query_code`` holds the query code sealed until ``sealed_until``, so the same
    form posted again after a lost response shows it again (``sealing.py``).
    """

    token = models.CharField("表单标识", max_length=64, unique=True)
    application = models.OneToOneField("cases.Application", verbose_name="申请", on_delete=models.CASCADE,
                                       related_name="public_submission")
    purpose = models.CharField("申请用途（选填）", max_length=500, blank=True)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    sealed_query_code = models.CharField("查询码（加密，限时保存）", max_length=200, blank=True, default="")
    sealed_until = models.DateTimeField("查询码保存至", null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "申请表单提交"

    def __str__(self) -> str:
        return self.token
