"""The one access gate: which agencies, and so which cases, a user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Agency, Membership


def agencies_visible_to(user) -> QuerySet[Agency]:
    """A user's own agencies; for a supervisor (主管部门) role, the whole subtree below it too.

    Superusers see every agency; anonymous users none.
    """
    ids = visible_agency_ids(user)
    return Agency.objects.all() if ids is None else Agency.objects.filter(pk__in=ids)


def visible_agency_ids(user) -> set[int] | None:
    """The ids behind ``agencies_visible_to``; None means every agency (a superuser)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    ids: set[int] = set()
    for membership in Membership.objects.filter(user=user).select_related("agency"):
        if membership.role == Membership.Role.SUPERVISOR:
            ids |= membership.agency.subtree_ids()
        else:
            ids.add(membership.agency_id)
    return ids


def user_roles_in(user, agency: Agency) -> set[str]:
    """The roles a user holds in exactly this agency (a supervisor of the parent holds none here)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return set(Membership.objects.filter(user=user, agency=agency).values_list("role", flat=True))


def users_holding(agency: Agency, roles) -> list:
    """The active users who hold one of ``roles`` in exactly this agency, by name (for "who acts next")."""
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(is_active=True, memberships__agency=agency,
                                                memberships__role__in=list(roles))
                .distinct().order_by("last_name", "first_name", "username"))
