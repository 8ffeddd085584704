"""Who may do what with an agency's annual report: one table, asked by the services and the pages.

承办 and 机构管理员 write the report (create, edit, refresh, submit, correct); 审核 approves
or returns it; 签发 publishes it.  A role counts only in the report's own agency: a
supervisor (主管部门) of the parent sees the subtree's reports but changes none of them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.agencies.selectors import user_roles_in

Role = Membership.Role
WRITERS = (Role.HANDLER, Role.AGENCY_ADMIN)

ACTION_ROLES: dict[str, tuple[str, ...]] = {
    "create": WRITERS,
    "edit": WRITERS,
    "refresh": WRITERS,
    "submit": WRITERS,
    "approve": (Role.REVIEWER,),
    "return": (Role.REVIEWER,),
    "publish": (Role.SIGNER,),
    "correct": WRITERS,
}


def may(user, action: str, agency: Agency) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return bool(user_roles_in(user, agency) & set(ACTION_ROLES[action]))


def require(user, action: str, agency: Agency) -> None:
    """Raise ``PermissionDenied`` naming the roles needed; ``user`` None is the system (demo, CLI)."""
    if user is None or may(user, action, agency):
        return
    labels = "、".join(Role(role).label for role in ACTION_ROLES[action])
    raise PermissionDenied(f"需要在「{agency}」担任{labels}岗位才能执行此操作")
