"""An agency with N applications, written straight into the database for the web benchmarks.

The cases are shaped like a busy agency's year: most answered within the year with the usual
spread of outcomes, a few through 补正 (some abandoned), consultation or an approved
extension, some still open at the year's end. ``bulk_create`` skips the services (and their
history rows) because only the stored facts matter to the pages and the annual report.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

BENCH_AGENCY = "基准测试区人民政府办公室"
BENCH_USERNAME = "bench_intake"
BENCH_PASSWORD = "bench-password-not-secret"
YEAR = 2024

# Outcome keys with rough weights as in published reports: most granted or not held.
OUTCOMES = [("granted", 30), ("partially_granted", 8), ("withheld.third_party_rights", 3),
            ("withheld.process_info", 2), ("unable.not_held", 25), ("unable.needs_creation", 3),
            ("unable.unclear_after_correction", 2), ("not_processed.petition_complaint", 6),
            ("not_processed.duplicate", 4), ("not_processed.publication", 5), ("other.other", 2)]
APPLICANT_TYPES = [("natural_person", 80), ("commercial", 8), ("research", 1), ("social_welfare", 1),
                   ("legal_service", 6), ("other", 4)]


def _weighted(rng: random.Random, pairs):
    keys, weights = zip(*pairs, strict=True)
    return rng.choices(keys, weights)[0]


def bench_world(applications: int, *, seed: int = 2024):
    """Create the agency, an intake user and ``applications`` cases; returns the agency."""
    from django.contrib.auth import get_user_model

    from gongkai.web.agencies.models import Agency, Membership
    from gongkai.web.cases.models import Application, Consultation

    rng = random.Random(seed)
    district = Agency.objects.create(full_name="基准测试区人民政府", kind=Agency.Kind.GOVERNMENT)
    agency = Agency.objects.create(full_name=BENCH_AGENCY, kind=Agency.Kind.DEPARTMENT, parent=district)
    user = get_user_model().objects.create_user(BENCH_USERNAME, password=BENCH_PASSWORD)
    Membership.objects.create(user=user, agency=agency, role=Membership.Role.INTAKE)
    now = timezone.now()
    rows, consultations = [], []
    for i in range(applications):
        received = date(YEAR, 1, 2) + timedelta(days=rng.randrange(363))
        application = Application(
            agency=agency, number=f"JZ-{YEAR}-{i + 1:06d}", query_code_hash="0" * 64,
            applicant_type=_weighted(rng, APPLICANT_TYPES), applicant_name=f"申请人{i}",
            applicant_id_number=f"11010119800101{i % 10000:04d}", applicant_phone=f"1380000{i % 10000:04d}",
            information_sought="某路段拆迁补偿方案及相关批复文件", channel="online",
            received_on=received, registered_at=now)
        roll = rng.random()
        if roll < 0.03:
            application.state = Application.State.ABANDONED
            application.correction_requested_on = received + timedelta(days=2)
            application.outcome, application.closed_on = "other.no_correction", received + timedelta(days=20)
        elif roll < 0.08 or received > date(YEAR, 12, 10):
            application.state = Application.State.HANDLING
        else:
            application.state = Application.State.DELIVERED
            application.outcome = _weighted(rng, OUTCOMES)
            application.closed_on = received + timedelta(days=rng.randrange(3, 26))
            if rng.random() < 0.02:
                application.extension_days, application.extension_approved_on = 10, received + timedelta(days=15)
        if application.closed_on and application.closed_on.year > YEAR:
            application.state, application.outcome, application.closed_on = Application.State.HANDLING, "", None
        rows.append(application)
    created = Application.objects.bulk_create(rows, batch_size=2000)
    for application in created:
        if application.closed_on and application.outcome != "other.no_correction" and rng.random() < 0.03:
            start = application.received_on + timedelta(days=1)
            days = min(5, (application.closed_on - start).days)  # the consultation ends before the answer
            if days >= 0:
                consultations.append(Consultation(application=application, party="第三方企业", start_on=start,
                                                  end_on=start + timedelta(days=days)))
    Consultation.objects.bulk_create(consultations, batch_size=2000)
    return agency
