from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group, User

from gongkai.web.admin_scoping import AgencyScopedAdmin, SuperuserOnlyAdmin, SuperuserOnlyMixin

from .models import Agency, AttemptCounter, Membership


@admin.register(Agency)
class AgencyAdmin(AgencyScopedAdmin):
    agency_field = "id"
    list_display = ["full_name", "short_name", "kind", "parent"]
    search_fields = ["full_name", "short_name"]


@admin.register(Membership)
class MembershipAdmin(AgencyScopedAdmin):
    list_display = ["user", "agency", "role"]
    list_filter = ["role"]


@admin.register(AttemptCounter)
class AttemptCounterAdmin(SuperuserOnlyAdmin):
    """Superusers see who is locked out; deleting a row lifts the lock."""

    list_display = ["key", "count", "blocked", "window_ends_at"]
    search_fields = ["key"]


# Accounts belong to no agency: the admin shows them to superusers only (agencies grant roles
# through Membership). Django's own registrations are replaced, their forms kept.
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(SuperuserOnlyMixin, auth_admin.UserAdmin):
    pass


@admin.register(Group)
class GroupAdmin(SuperuserOnlyMixin, auth_admin.GroupAdmin):
    pass
