"""Who may do what with an agency's annual report: one table, asked by the services and the pages.

承办 and 机构管理员 write the report (create, edit, refresh, submit, correct); 审核 approves
or returns it; 签发 publishes it.  A role counts only in the report's own agency: a
supervisor (主管部门) of the parent sees the subtree's reports but changes none of them.

Four eyes: whoever wrote or submitted a version may not approve or publish that same
version, whatever roles they hold (``may_on`` / ``require_on`` ask both questions).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.agencies.selectors import user_roles_in

from .models import AnnualReportEvent, AnnualReportRecord

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
ACTION_LABELS = {"approve": "审核通过", "publish": "签发发布"}
# The steps a writer of the version may not take on it (four eyes).
REVIEW_ACTIONS = tuple(ACTION_LABELS)
Action = AnnualReportEvent.Action
WRITING_EVENTS = (Action.CREATED, Action.REFRESHED, Action.SECTIONS_SAVED, Action.SUBMITTED, Action.CORRECTED)


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


def writers_of(record: AnnualReportRecord) -> set[int]:
    """Ids of the users who wrote or submitted this version, or the unpublished versions it was refreshed from.

    A refresh copies the texts of the version before it, so their writers wrote this one too.
    The system (events without a user) is nobody.
    """
    versions = {r.version: r for r in AnnualReportRecord.objects.filter(agency_id=record.agency_id, year=record.year,
                                                                        version__lte=record.version)}
    ids: set[int] = set()
    current = versions.get(record.version, record)
    while current is not None:
        events = list(current.events.filter(action__in=WRITING_EVENTS).values_list("action", "acting_user_id"))
        ids |= {user_id for _, user_id in events if user_id is not None}
        refreshed = any(action == Action.REFRESHED for action, _ in events)
        before = versions.get(current.version - 1)
        current = before if refreshed and before is not None and not before.is_locked else None
    return ids


def four_eyes_refusal(user, action: str, record: AnnualReportRecord) -> str | None:
    """Why ``user`` may not take ``action`` on this version although the role allows it; None if they may."""
    if action not in REVIEW_ACTIONS or user is None or user.pk not in writers_of(record):
        return None
    role = "、".join(Role(r).label for r in ACTION_ROLES[action])
    return (f"您撰写或提交了第{record.version}版，按“双人复核”规定不能{ACTION_LABELS[action]}同一版本，"
            f"须由本机构其他担任{role}岗位的人员办理")


def may_on(user, action: str, record: AnnualReportRecord) -> bool:
    """``may`` in the record's agency, and not barred by four eyes."""
    return may(user, action, record.agency) and four_eyes_refusal(user, action, record) is None


def require_on(user, action: str, record: AnnualReportRecord) -> None:
    require(user, action, record.agency)
    refusal = four_eyes_refusal(user, action, record)
    if refusal:
        raise PermissionDenied(refusal)
