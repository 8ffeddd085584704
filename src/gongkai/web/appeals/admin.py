from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongkai.web.admin_scoping import AgencyScopedAdmin

from .models import Appeal


@admin.register(Appeal)
class AppealAdmin(AgencyScopedAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "agency", "kind", "filed_on", "result", "decided_on"]
    list_filter = ["kind", "result"]
    raw_id_fields = ["application"]
