from django.contrib import admin

from gongkai.web.admin_scoping import AgencyScopedAdmin

from .models import Agency, AttemptCounter, Membership
from .selectors import agencies_visible_to


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["full_name", "short_name", "kind", "parent"]
    search_fields = ["full_name", "short_name"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=agencies_visible_to(request.user))


@admin.register(Membership)
class MembershipAdmin(AgencyScopedAdmin):
    list_display = ["user", "agency", "role"]
    list_filter = ["role"]


@admin.register(AttemptCounter)
class AttemptCounterAdmin(admin.ModelAdmin):
    """Superusers see who is locked out; deleting a row lifts the lock."""

    list_display = ["key", "count", "blocked", "window_ends_at"]
    search_fields = ["key"]

    def has_module_permission(self, request):
        return request.user.is_superuser
