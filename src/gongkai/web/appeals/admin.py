from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongkai.web.admin_scoping import AgencyScopedAdmin, ReadOnlyAdminMixin

from .models import Appeal


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdminMixin, AgencyScopedAdmin, SimpleHistoryAdmin):
    """Shown, not edited: appeals change through ``appeals.services`` (the staff pages), which check roles."""

    list_display = ["__str__", "agency", "kind", "filed_on", "result", "decided_on"]
    list_filter = ["kind", "result"]
    raw_id_fields = ["application"]
