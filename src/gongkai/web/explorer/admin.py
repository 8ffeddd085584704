from django.contrib import admin

from gongkai.web.admin_scoping import SuperuserOnlyMixin

from .models import ExplorerSettings


@admin.register(ExplorerSettings)
class ExplorerSettingsAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    """A single row: added once, changed afterwards, never deleted (no row means "staff only")."""

    list_display = ["__str__", "changed_at", "changed_by"]
    readonly_fields = ["changed_at", "changed_by"]

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request) and not ExplorerSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.pk = 1
        obj.changed_by = request.user
        super().save_model(request, obj, form, change)
