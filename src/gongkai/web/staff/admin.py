from django.contrib import admin

from gongkai.web.admin_scoping import AgencyScopedAdmin, ReadOnlyAdminMixin

from .models import PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdminMixin, AgencyScopedAdmin):
    agency_field = "application__agency"
    list_display = ["at", "user", "application", "fields", "ip_address"]
    list_filter = ["at"]
    search_fields = ["application__number", "user__username"]
