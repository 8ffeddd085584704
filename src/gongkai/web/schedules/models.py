"""Holiday schedules the site's administrators add from the State Council's notice.

The site's calendar is the shipped file, then GONGKAI_WORKDAYS_FILE, then these years
(``calendar.site_calendar``): a new year's notice takes effect without a release or a
restart, on every page and in every job.  The notice text is kept as entered, and the
calendar file text it gave, so what the site counts with can always be traced to it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class HolidaySchedule(models.Model):
    year = models.PositiveSmallIntegerField("年份", unique=True)
    notice_text = models.TextField(
        "通知全文", help_text="国务院办公厅关于该年部分节假日安排的通知，按公布的原文粘贴（文本或网页源代码均可）。")
    schedule_text = models.TextField("工作日安排（读取结果）", editable=False,
                                     help_text="由通知读出的放假和调休上班日期，格式同 cn-workdays.csv")
    summary = models.TextField("读到的安排", editable=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="添加人", null=True, editable=False,
                                 on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "节假日安排（国务院办公厅通知）"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} 年部分节假日安排"
