from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from gongkai.web.admin_scoping import AgencyScopedAdmin, ReadOnlyAdminMixin

# Shown, not edited: the roster, items and check-ins change through the supervision pages and services,
# which check the roles and validate evidence through the agency gate.
from .models import (
    Bulletin,
    Checkin,
    CheckinAnswer,
    CheckinItem,
    Finding,
    Indicator,
    OfficeSettings,
    RosterUnit,
    YearScore,
)


@admin.register(RosterUnit)
class RosterUnitAdmin(ReadOnlyAdminMixin, AgencyScopedAdmin, SimpleHistoryAdmin):
    agency_field = "office"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default, without the warning
    list_display = ("name", "office", "agency", "liaison_name", "leader_name")
    list_filter = ("office",)
    search_fields = ("name",)


@admin.register(OfficeSettings)
class OfficeSettingsAdmin(ReadOnlyAdminMixin, AgencyScopedAdmin, SimpleHistoryAdmin):
    agency_field = "office"
    list_display = ("office", "weekday", "due_time")


@admin.register(CheckinItem)
class CheckinItemAdmin(ReadOnlyAdminMixin, AgencyScopedAdmin, SimpleHistoryAdmin):
    agency_field = "office"
    list_display = ("text", "office", "kind", "active", "position")
    list_filter = ("office", "active")


class CheckinAnswerInline(admin.TabularInline):
    model = CheckinAnswer
    extra = 0
    fields = ("item_text", "answer", "note")
    readonly_fields = fields
    can_delete = False


@admin.register(Checkin)
class CheckinAdmin(ReadOnlyAdminMixin, AgencyScopedAdmin, SimpleHistoryAdmin):
    agency_field = "agency"
    list_display = ("agency", "office", "week_start", "submitted_at", "due_at")
    list_filter = ("office", "agency")
    inlines = [CheckinAnswerInline]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdminMixin, AgencyScopedAdmin, SimpleHistoryAdmin):
    agency_field = "agency"
    list_display = ("agency", "office", "month", "kind", "due_on", "state")
    list_filter = ("office", "agency", "kind", "state")


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdminMixin, AgencyScopedAdmin, SimpleHistoryAdmin):
    agency_field = "office"
    list_display = ("title", "office", "month", "state", "issued_on")
    list_filter = ("office", "state")


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdminMixin, AgencyScopedAdmin, SimpleHistoryAdmin):
    agency_field = "office"
    list_display = ("name", "office", "defect", "points", "deduction")
    list_filter = ("office",)


@admin.register(YearScore)
class YearScoreAdmin(ReadOnlyAdminMixin, AgencyScopedAdmin, SimpleHistoryAdmin):
    agency_field = "agency"
    list_display = ("agency", "office", "year", "total", "finalised_at")
    list_filter = ("office", "year")
