"""Who may see an applicant's identity number, phone, address and e-mail, and the record of each view.

One rule for the pages, the API, the letters and the admin: only staff handling the case —
受理登记, 承办, 审核, 签发 in the application's own agency (or a superuser) — and only when
they ask for it (``personal_data_shown``); each such view is logged. A supervising office
sees the case, never the unmasked personal data. Everywhere else the masks below are shown.
"""

from __future__ import annotations

from gongkai.web.agencies.models import Membership
from gongkai.web.agencies.selectors import user_roles_in
from gongkai.web.cases.models import Application

from .masking import mask_address, mask_email, mask_id_number, mask_phone
from .models import PersonalDataAccess

HANDLING_ROLES = {Membership.Role.INTAKE, Membership.Role.HANDLER, Membership.Role.REVIEWER, Membership.Role.SIGNER}
PERSONAL_FIELDS = "证件号码、联系电话、通信地址、电子邮箱"
# The application's fields behind PERSONAL_FIELDS, each with its mask.
PERSONAL_DATA_MASKS = {"applicant_id_number": mask_id_number, "applicant_phone": mask_phone,
                       "applicant_address": mask_address, "applicant_email": mask_email}


def may_see_personal_data(user, application: Application) -> bool:
    return user.is_superuser or bool(user_roles_in(user, application.agency) & HANDLING_ROLES)


def personal_data_viewed(*, user, application: Application, ip_address: str | None = None,
                         fields: str = PERSONAL_FIELDS) -> PersonalDataAccess:
    """Record one view of the unmasked personal data (shown read-only in the admin)."""
    return PersonalDataAccess.objects.create(user=user, application=application, fields=fields,
                                             ip_address=ip_address or None)


def masked_personal_data(application: Application) -> dict[str, str]:
    """``{"id_number": "110***********1234", "phone": …, "address": …, "email": …}``."""
    return {field.removeprefix("applicant_"): mask(getattr(application, field) or "")
            for field, mask in PERSONAL_DATA_MASKS.items()}


def personal_data_shown(request, application: Application, *, asked: bool) -> bool:
    """Whether to show ``application``'s personal data unmasked now: asked for and allowed; logged if so."""
    shown = asked and may_see_personal_data(request.user, application)
    if shown:
        personal_data_viewed(user=request.user, application=application, ip_address=request.META.get("REMOTE_ADDR"))
    return shown
