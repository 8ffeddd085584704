"""Online intake: the public form registers through ``application_register`` exactly once per form token."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.web.agencies.models import Agency
from gongkai.web.cases.models import Application
from gongkai.web.cases.services import Registration, application_register

from .models import ONLINE_INTAKE_USERNAME, OnlineIntakeUser, PublicSubmission
from .sealing import code_seal, code_unseal


@dataclass(frozen=True)
class OnlineSubmission:
    application: Application
    query_code: str | None  # None when this token had been submitted and its code can no longer be shown


def online_intake_user() -> OnlineIntakeUser:
    user, created = OnlineIntakeUser.objects.get_or_create(username=ONLINE_INTAKE_USERNAME)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def register_once(*, token: str, register: Callable[[], Registration], purpose: str = "",
                  content: str | None = None) -> OnlineSubmission:
    """Run ``register`` and record the form's token in the same transaction, so a form is registered once.

    A second submit of the same form waits for the first (PostgreSQL) or is serialised
    (SQLite), then hits the token's unique constraint and gets the application the first one
    registered — never a second application.  With ``content`` (everything the form said),
    the query code is kept sealed for a while, and a second submit with the same token and
    the same content gets the code again: the first response may never have arrived.
    Without it (staff registration) the second submit gets no code.
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            submission = PublicSubmission(token=token, purpose=purpose)
            registration = register()
            submission.application = registration.application
            if content is not None:
                submission.sealed_query_code = code_seal(registration.query_code, token=token, content=content)
                submission.sealed_until = now + timedelta(minutes=settings.GONGKAI_QUERY_CODE_RESHOW_MINUTES)
            submission.save()
    except IntegrityError:
        existing = PublicSubmission.objects.select_related("application").filter(token=token).first()
        if existing is None:
            raise
        code = None
        if content is not None and existing.sealed_until and existing.sealed_until > now:
            code = code_unseal(existing.sealed_query_code, token=token, content=content)
        return OnlineSubmission(existing.application, code)
    sealed_codes_drop(PublicSubmission.objects.filter(sealed_until__lte=now))
    return OnlineSubmission(registration.application, registration.query_code)


def sealed_codes_drop(submissions) -> None:
    """Forget sealed query codes: run out, or no longer needed once the applicant has used theirs."""
    submissions.exclude(sealed_until=None).update(sealed_query_code="", sealed_until=None)


def online_application_submit(
    *, token: str, agency: Agency, applicant_type: str, applicant_name: str, applicant_id_number: str,
    applicant_phone: str, applicant_address: str = "", applicant_email: str = "", information_sought: str,
    delivery_form: str, purpose: str = "",
) -> OnlineSubmission:
    """Register an online application (条例第三十一条: received the day the system confirms it)."""
    acting_user = online_intake_user()
    content = "\x1f".join(str(value) for value in (
        agency.pk, applicant_type, applicant_name, applicant_id_number, applicant_phone, applicant_address,
        applicant_email, information_sought, delivery_form, purpose))
    return register_once(token=token, purpose=purpose, content=content, register=lambda: application_register(
        agency=agency, acting_user=acting_user, applicant_type=applicant_type, applicant_name=applicant_name,
        channel=Application.Channel.ONLINE, received_on=timezone.localdate(),
        information_sought=information_sought, applicant_id_number=applicant_id_number,
        applicant_phone=applicant_phone, applicant_email=applicant_email,
        applicant_address=applicant_address, delivery_form=delivery_form,
    ))
