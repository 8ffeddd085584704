"""Who may take each statutory step: one table of roles, published as ``rules`` permissions.

``user.has_perm("cases.sign_application", application)`` answers the same question the
services ask, so admin actions and future views can show only the steps a user may take.
A role counts only in the application's own agency: a supervisor (主管部门) of the
district sees the street's cases but does not handle them.
"""

from __future__ import annotations

import rules

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.agencies.selectors import user_roles_in

Role = Membership.Role

STEP_ROLES: dict[str, tuple[str, ...]] = {
    "register": (Role.INTAKE,),
    "start_review": (Role.INTAKE, Role.HANDLER),
    "request_correction": (Role.INTAKE, Role.HANDLER),
    "receive_correction": (Role.INTAKE, Role.HANDLER),
    "abandon": (Role.INTAKE, Role.HANDLER),
    "accept": (Role.HANDLER,),  # the handler who accepts becomes the 承办人
    "assign": (Role.HANDLER, Role.AGENCY_ADMIN),
    "start_consultation": (Role.HANDLER,),
    "end_consultation": (Role.HANDLER,),
    "draft_reply": (Role.HANDLER,),
    "approve_review": (Role.REVIEWER,),
    "return_for_rework": (Role.REVIEWER,),
    "sign": (Role.SIGNER,),
    "deliver": (Role.INTAKE, Role.HANDLER),
    "archive": (Role.INTAKE, Role.HANDLER, Role.AGENCY_ADMIN),
    "request_extension": (Role.HANDLER,),
    "approve_extension": (Role.SIGNER,),  # the office head approves an extension (条例第三十三条第二款)
    "issue_fee_notice": (Role.HANDLER,),  # 信息处理费 (条例第四十二条): see cases/fees.py
    "record_fee_payment": (Role.INTAKE, Role.HANDLER),
    "close_unpaid_fee": (Role.INTAKE, Role.HANDLER),
}


def step_permission(step: str) -> str:
    return f"cases.{step}_application"


def _agency_of(target) -> Agency | None:
    return target if isinstance(target, Agency) else getattr(target, "agency", None)


def holds_role(*roles: str):
    @rules.predicate(name=f"holds_role({'/'.join(roles)})")
    def predicate(user, target) -> bool:
        agency = _agency_of(target)
        return agency is not None and bool(user_roles_in(user, agency) & set(roles))

    return predicate


for _step, _roles in STEP_ROLES.items():
    rules.add_perm(step_permission(_step), holds_role(*_roles))
