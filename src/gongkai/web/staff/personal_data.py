"""Who may see an applicant's identity number, phone and address, and the record of each view.

One rule for the pages and the API: only staff handling the case — 受理登记, 承办, 审核,
签发 in the application's own agency (or a superuser). A supervising office sees the
case, never the unmasked personal data.
"""

from __future__ import annotations

from gongkai.web.agencies.models import Membership
from gongkai.web.agencies.selectors import user_roles_in
from gongkai.web.cases.models import Application

from .models import PersonalDataAccess

HANDLING_ROLES = {Membership.Role.INTAKE, Membership.Role.HANDLER, Membership.Role.REVIEWER, Membership.Role.SIGNER}
PERSONAL_FIELDS = "证件号码、联系电话、通信地址、电子邮箱"


def may_see_personal_data(user, application: Application) -> bool:
    return user.is_superuser or bool(user_roles_in(user, application.agency) & HANDLING_ROLES)


def personal_data_viewed(*, user, application: Application, ip_address: str | None = None,
                         fields: str = PERSONAL_FIELDS) -> PersonalDataAccess:
    """Record one view of the unmasked personal data (shown read-only in the admin)."""
    return PersonalDataAccess.objects.create(user=user, application=application, fields=fields,
                                             ip_address=ip_address or None)
