"""Admin building blocks: lists scoped to the agencies the user may see, and read-only records."""

from django.contrib import admin

from gongkai.web.agencies.selectors import agencies_visible_to


class AgencyScopedAdmin(admin.ModelAdmin):
    agency_field = "agency"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.filter(**{f"{self.agency_field}__in": agencies_visible_to(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = agencies_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdminMixin:
    """Records that change only through the services (or never): shown, not edited."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
