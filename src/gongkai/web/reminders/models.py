"""An in-app reminder. Unique per recipient, application, kind and the due date it was computed for,
so a scan that runs twice creates nothing twice, and a moved due date (an approved extension)
gives a new reminder."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Message(models.Model):
    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "即将到期"
        OVERDUE = "overdue", "已逾期"
        FEE_LAPSED = "fee_lapsed", "缴费期限已过"
        DEADLINE_MOVED = "deadline_moved", "答复期限变动"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE,
                                  related_name="reminder_messages")
    application = models.ForeignKey("cases.Application", verbose_name="申请", on_delete=models.CASCADE,
                                    related_name="reminder_messages")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    due_on = models.DateField("期限", help_text="提醒所依据的答复期限或缴费期限（由办理事实计算，不单独保存）")
    text = models.CharField("内容", max_length=300)
    created_at = models.DateTimeField("提醒时间", auto_now_add=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "期限提醒"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "application", "kind", "due_on"],
                                               name="reminder_message_unique")]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text


class ProvisionalDue(models.Model):
    """The 预计 due date the scan last saw for an open application (its count rests on a year without a
    published schedule).  When a schedule arrives — in the admin, a GONGKAI_WORKDAYS_FILE file or a new
    release — the next scan finds the date settled, compares, and tells the 承办人 if it moved."""

    application = models.OneToOneField("cases.Application", verbose_name="申请", on_delete=models.CASCADE,
                                       related_name="provisional_due")
    due_on = models.DateField("预计答复期限")
    seen_at = models.DateTimeField("最近计算时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "预计答复期限"

    def __str__(self) -> str:
        return f"{self.application} 预计 {self.due_on}"
