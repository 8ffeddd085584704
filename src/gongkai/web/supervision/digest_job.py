"""The daily 日提醒 job: each office's supervisors get the office's digest, each unit's 机构管理员 and
联络员 the unit's own, as ``DigestLine`` rows and one e-mail each.

A line is unique per (recipient, day, section, record), so a second run the same day creates and
e-mails nothing already reported; a mail that failed is retried by the next run.  The digest is
computed from the records' present state (``digest.digest_of``), through the same gate as the pages.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.web.agencies.models import Membership
from gongkai.web.agencies.selectors import agencies_visible_to

from .digest import DigestSection, digest_of
from .models import DigestLine, RosterUnit
from .selectors import offices_of_unit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestRun:
    recipients: int
    created: int  # new lines
    emailed: int  # e-mails sent


def _record_key(record) -> str:
    return f"{record._meta.model_name}:{record.pk}"


def _lines_create(recipient, sections: list[DigestSection], day: date) -> int:
    created = 0
    for section in sections:
        for item in section.items:
            key = dict(recipient=recipient, day=day, section=section.key, record=_record_key(item.record))
            try:
                with transaction.atomic():
                    created += DigestLine.objects.get_or_create(
                        **key, defaults={"agency": item.agency, "text": item.text[:300], "url": item.url})[1]
            except IntegrityError:  # a concurrent run made it
                pass
    return created


def _recipients():
    """(user, agencies of the digest, offices whose check-ins count) for everyone who gets a digest."""
    for membership in (Membership.objects.filter(role=Membership.Role.SUPERVISOR, user__is_active=True)
                       .select_related("user", "agency").order_by("pk")):
        office = membership.agency
        yield membership.user, agencies_visible_to(membership.user).filter(pk__in=office.subtree_ids()), [office]
    units: dict[int, set[int]] = {}
    for user_id, agency_id in Membership.objects.filter(role=Membership.Role.AGENCY_ADMIN).values_list("user_id",
                                                                                                      "agency_id"):
        units.setdefault(user_id, set()).add(agency_id)
    for user_id, agency_id in (RosterUnit.objects.filter(liaison_user__isnull=False, agency__isnull=False)
                               .values_list("liaison_user_id", "agency_id")):
        if Membership.objects.filter(user_id=user_id, agency_id=agency_id).exists():
            units.setdefault(user_id, set()).add(agency_id)
    for user in get_user_model().objects.filter(pk__in=units, is_active=True).order_by("pk"):
        agencies = list(agencies_visible_to(user).filter(pk__in=units[user.pk]))
        offices = {office.pk: office for agency in agencies for office in offices_of_unit(agency)}
        yield user, agencies, list(offices.values())


def _email(day: date, now) -> int:
    sent = 0
    pending = (DigestLine.objects.filter(day=day, emailed_at__isnull=True).exclude(recipient__email="")
               .select_related("recipient", "agency").order_by("recipient_id", "pk"))
    by_recipient: dict[int, list[DigestLine]] = {}
    for line in pending:
        by_recipient.setdefault(line.recipient_id, []).append(line)
    for lines in by_recipient.values():
        recipient = lines[0].recipient
        body = "\n".join(f"{line.agency.full_name} · {line.text}\n  {line.url}" for line in lines)
        try:
            send_mail(f"【日提醒】{day:%Y-%m-%d}：{len(lines)} 项待办", body, settings.DEFAULT_FROM_EMAIL,
                      [recipient.email])
        except OSError as error:  # the mail server is down: the next run tries again
            log.warning("digest e-mail to %s failed: %s", recipient.email, error)
            continue
        DigestLine.objects.filter(pk__in=[line.pk for line in lines], emailed_at__isnull=True).update(emailed_at=now)
        sent += 1
    return sent


def digests_send(*, today: date | None = None) -> DigestRun:
    """Everyone's digest of ``today``; what was already reported today is neither added nor e-mailed again."""
    today = today or timezone.localdate()
    recipients = created = 0
    for user, agencies, offices in _recipients():
        recipients += 1
        created += _lines_create(user, digest_of(agencies, offices=offices, today=today), today)
    return DigestRun(recipients, created, _email(today, timezone.now()))

