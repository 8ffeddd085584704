from django.contrib import admin

from gongkai.web.admin_scoping import AgencyScopedAdmin

from .models import Message


@admin.register(Message)
class MessageAdmin(AgencyScopedAdmin):
    agency_field = "application__agency"
    list_display = ["application", "recipient", "kind", "due_on", "created_at", "emailed_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient", "application"]
