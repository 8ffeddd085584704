from django.contrib import admin

from gongkai.web.admin_scoping import AgencyScopedAdmin, ReadOnlyAdminMixin

from .models import AnnualReportEvent, AnnualReportRecord


@admin.register(AnnualReportRecord)
class AnnualReportRecordAdmin(AgencyScopedAdmin):
    list_display = ["agency", "year", "version", "state", "created_at", "published_at"]
    readonly_fields = ["snapshot", "state", "published_at", "version"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(AnnualReportEvent)
class AnnualReportEventAdmin(ReadOnlyAdminMixin, AgencyScopedAdmin):
    agency_field = "record__agency"
    list_display = ["at", "record", "action", "acting_user", "comment"]
    list_filter = ["action"]
