from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from gongkai.web.admin_scoping import AgencyScopedAdmin, ReadOnlyAdminMixin

# Shown, not edited: the roster, items and check-ins change through the supervision pages and services,
# which check the roles and validate evidence through the agency gate.
from .collection import filings_visible_to
from .models import (
    Bulletin,
    Checkin,
    CheckinAnswer,
    CheckinItem,
    Finding,
    Indicator,
    OfficeSettings,
    ReportFiling,
    RosterUnit,
    YearScore,
)


@admin.register(RosterUnit)
class RosterUnitAdmin(ReadOnlyAdminMixin, AgencyScopedAdmin, SimpleHistoryAdmin):
    agency_field = "office"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default, without the warning
    list_display = ("name", "office", "agency", "liaison_name", "leader_name", "reports_subtree")
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
    list_display = ("agency", "roster_unit", "office", "month", "kind", "due_on", "state")
    list_filter = ("office", "agency", "kind", "state")


@admin.register(ReportFiling)
class ReportFilingAdmin(ReadOnlyAdminMixin, AgencyScopedAdmin, SimpleHistoryAdmin):
    """Narrowed by the filings' own gate (``filings_visible_to``): the office's supervisors and the unit's 联络员."""

    agency_field = "unit__office"
    list_display = ("unit", "year", "version", "state", "filed_at", "file_name")
    list_filter = ("state", "year")
    exclude = ("content",)

    def scope(self, request, queryset):
        return queryset.filter(id__in=filings_visible_to(request.user).values("pk"))

    def in_scope(self, request, obj) -> bool:
        return obj is None or filings_visible_to(request.user).filter(pk=obj.id).exists()


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
