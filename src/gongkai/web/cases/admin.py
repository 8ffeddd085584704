from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from gongkai.web.admin_scoping import AgencyScopedAdmin

from .models import Application, ApplicationEvent, Consultation


class ConsultationInline(admin.TabularInline):
    model = Consultation
    extra = 0
    readonly_fields = ["party", "start_on", "end_on"]
    can_delete = False


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    readonly_fields = ["at", "action", "from_state", "to_state", "acting_user", "message"]
    fields = readonly_fields
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(AgencyScopedAdmin, SimpleHistoryAdmin):
    """Read-mostly: state and the statutory dates change only through the services."""

    list_display = ["number", "agency", "applicant_type", "channel", "received_on", "state", "outcome", "closed_on",
                    "due_on", "registered_late"]
    list_filter = ["state", "channel", "applicant_type", "outcome"]
    search_fields = ["number"]
    readonly_fields = ["number", "state", "correction_requested_on", "correction_received_on", "extension_days",
                       "extension_approved_by", "extension_approved_on", "outcome", "closed_on", "registered_at",
                       "due_explanation"]
    exclude = ["query_code_hash"]
    inlines = [ConsultationInline, EventInline]

    def has_add_permission(self, request):
        return False  # registration goes through application_register (number, query code, event)

    @admin.display(description="答复期限")
    def due_on(self, obj):
        return obj.reply_deadline(today=timezone.localdate()).due

    @admin.display(description="登记逾期", boolean=True)
    def registered_late(self, obj):
        return obj.is_registered_late()

    @admin.display(description="期限计算过程")
    def due_explanation(self, obj):
        return obj.reply_deadline(today=timezone.localdate()).explain()
