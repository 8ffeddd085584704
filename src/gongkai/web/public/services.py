"""Online intake: the public form registers through ``application_register`` exactly once per form token."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.web.agencies.models import Agency
from gongkai.web.cases.models import Application
from gongkai.web.cases.services import Registration, application_register

from .models import ONLINE_INTAKE_USERNAME, OnlineIntakeUser, PublicSubmission


@dataclass(frozen=True)
class OnlineSubmission:
    application: Application
    query_code: str | None  # None when this token had already been submitted (the code was given then)


def online_intake_user() -> OnlineIntakeUser:
    user, created = OnlineIntakeUser.objects.get_or_create(username=ONLINE_INTAKE_USERNAME)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def register_once(*, token: str, register: Callable[[], Registration], purpose: str = "") -> OnlineSubmission:
    """Run ``register`` and record the form's token in the same transaction, so a form is registered once.

    A second submit of the same form waits for the first (PostgreSQL) or is serialised
    (SQLite), then hits the token's unique constraint and gets the application the first one
    registered — never a second application, and no query code the second time. Used by the
    public form and by the staff registration form.
    """
    try:
        with transaction.atomic():
            submission = PublicSubmission(token=token, purpose=purpose)
            registration = register()
            submission.application = registration.application
            submission.save()
    except IntegrityError:
        existing = PublicSubmission.objects.select_related("application").filter(token=token).first()
        if existing is None:
            raise
        return OnlineSubmission(existing.application, None)
    return OnlineSubmission(registration.application, registration.query_code)


def online_application_submit(
    *, token: str, agency: Agency, applicant_type: str, applicant_name: str, applicant_id_number: str,
    applicant_phone: str, applicant_address: str = "", applicant_email: str = "", information_sought: str,
    delivery_form: str, purpose: str = "",
) -> OnlineSubmission:
    """Register an online application (条例第三十一条: received the day the system confirms it)."""
    acting_user = online_intake_user()
    return register_once(token=token, purpose=purpose, register=lambda: application_register(
        agency=agency, acting_user=acting_user, applicant_type=applicant_type, applicant_name=applicant_name,
        channel=Application.Channel.ONLINE, received_on=timezone.localdate(),
        information_sought=information_sought, applicant_id_number=applicant_id_number,
        applicant_phone=applicant_phone, applicant_email=applicant_email,
        applicant_address=applicant_address, delivery_form=delivery_form,
    ))
