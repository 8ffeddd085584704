"""The supervising office's records: its roster of units, and the weekly check-in (周打卡).

A supervising office (政务公开办, an agency where somebody holds the 主管部门 role) supervises
the agencies below it on gongkai; ``RosterUnit`` adds each unit's 联络员 and 分管领导, and
registers by name and portal address the units that do not use gongkai.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


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


class CheckinSettings(models.Model):
    """An office's weekly deadline: the check-in of a week is due on its ``weekday`` at ``due_time``."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "星期一"
        TUESDAY = 1, "星期二"
        WEDNESDAY = 2, "星期三"
        THURSDAY = 3, "星期四"
        FRIDAY = 4, "星期五"
        SATURDAY = 5, "星期六"
        SUNDAY = 6, "星期日"

    office = models.OneToOneField("agencies.Agency", verbose_name="监督机构", on_delete=models.CASCADE,
                                  related_name="checkin_settings")
    weekday = models.PositiveSmallIntegerField("截止日", choices=Weekday.choices, default=Weekday.FRIDAY)
    due_time = models.TimeField("截止时间", default=time(17, 0))
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "周打卡截止时间"

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
