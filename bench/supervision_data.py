"""A district for the supervision benchmark: ``units`` units under one office, each with ``per_year``
applications a year for ``years`` years up to today, a year of weekly check-ins, monthly findings and
a few publications still waiting to be published.

Rows go in with ``bulk_create`` (no services, no history rows): only the stored facts matter to the
dashboard and the digest.  The cases are shaped like a busy unit's: most answered within 3 to 27 days
(some of them after 20 calendar days, whose due date must then be computed), 2% answered late (after
45 days), 3% abandoned after 补正; a case is open until the day it is answered.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

OFFICE = "基准测试区政务公开办"
SUPERVISOR = "bench_supervisor"
PASSWORD = "bench-password-not-secret"


SET = ("agency_id", "number", "received_on", "state", "correction_requested_on", "outcome", "closed_on")


def _case(rng: random.Random, agency_id: int, number: str, received: date, today: date) -> tuple:
    """One case's facts, in the order of ``SET``: open until it is answered (or abandoned)."""
    roll = rng.random()
    state, requested, outcome = "delivered", None, "granted"
    days = 45 if roll > 0.98 else rng.randrange(3, 28)
    if roll < 0.03:
        state, requested, outcome, days = "abandoned", received + timedelta(days=2), "", 20
    closed = received + timedelta(days=days)
    if closed > today:
        state, requested, outcome, closed = "handling", None, "", None
    return agency_id, number, received, state, requested, outcome, closed


def _insert_cases(rows: list[tuple], now) -> None:
    """A COPY-like fast path: one multi-row INSERT per batch, every other column at its model default."""
    from django.db import connection, transaction

    from gongkai.web.cases.models import Application

    rest, constants = _other_columns(connection, now)
    columns = ", ".join(connection.ops.quote_name(c) for c in [*SET, *(f.column for f in rest)])
    marks = ", ".join(["%s"] * (len(SET) + len(rest)))
    with transaction.atomic(), connection.cursor() as cursor:  # one commit per batch, not per row
        cursor.executemany(f"INSERT INTO {Application._meta.db_table} ({columns}) VALUES ({marks})",
                           [(*row, *constants) for row in rows])


def _other_columns(connection, now):
    from gongkai.web.cases.models import Application

    fixed = {"query_code_hash": "0" * 64, "applicant_type": "natural_person", "applicant_name": "基准测试申请人",
             "channel": "online", "information_sought": "某路段拆迁补偿方案", "registered_at": now}
    rest = [f for f in Application._meta.concrete_fields if not f.primary_key and f.column not in SET]
    return rest, [f.get_db_prep_save(fixed[f.name] if f.name in fixed else f.get_default(), connection) for f in rest]


def _generate_cases_in_sqlite(office_id: int, per_unit: int, span: int, today: date, now) -> None:
    """The same shape as ``_case``, generated inside SQLite (a recursive CTE): 1.5 M rows without Python per row.
    SQLite's random() takes no seed, so these cases differ from run to run (their shares do not); the CTEs are
    MATERIALIZED so that each row draws its numbers once."""
    from django.db import connection, transaction

    from gongkai.web.cases.models import Application

    rest, constants = _other_columns(connection, now)
    columns = ", ".join(connection.ops.quote_name(c) for c in [*SET, *(f.column for f in rest)])
    marks = ", ".join(["%s"] * len(rest))
    # back: days before today received; roll: 0–9999; days: days to the answer (45 for 2% of cases: late)
    sql = f"""
        WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %s),
        drawn AS MATERIALIZED (SELECT a.id AS agency_id, seq.i AS i, abs(random()) %% (%s + 1) AS back,
                         abs(random()) %% 10000 AS roll, 3 + abs(random()) %% 25 AS days
                  FROM agencies_agency a, seq WHERE a.parent_id = %s),
        shaped AS MATERIALIZED (SELECT agency_id, i, back, CASE
                       WHEN (CASE WHEN roll < 300 THEN 20 WHEN roll > 9800 THEN 45 ELSE days END) > back
                           THEN 'handling'
                       WHEN roll < 300 THEN 'abandoned' ELSE 'delivered' END AS state,
                   CASE WHEN roll < 300 THEN 20 WHEN roll > 9800 THEN 45 ELSE days END AS answer_days
                   FROM drawn)
        INSERT INTO {Application._meta.db_table} ({columns})
        SELECT agency_id, 'JZ' || agency_id || '-' || i, date(%s, '-' || back || ' days'), state,
               CASE WHEN state = 'abandoned' THEN date(%s, '-' || (back - 2) || ' days') END,
               CASE WHEN state = 'delivered' THEN 'granted' ELSE '' END,
               CASE WHEN state IN ('delivered', 'abandoned')
                    THEN date(%s, '-' || (back - answer_days) || ' days') END,
               {marks}
        FROM shaped"""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [per_unit, span, office_id, today.isoformat(), today.isoformat(), today.isoformat(),
                             *constants])


def district(units: int, years: int, per_year: int, *, seed: int = 2026, today: date | None = None,
             progress=print):
    """Create the office, its units, their records and the supervisor; returns the office."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from gongkai.web.agencies.models import Agency, Membership
    from gongkai.web.disclosure.models import Publication
    from gongkai.web.supervision.models import Checkin, CheckinItem, Finding, RosterUnit
    from gongkai.web.supervision.selectors import week_due_at, week_start_of

    rng = random.Random(seed)
    today = today or timezone.localdate()
    User = get_user_model()
    office = Agency.objects.create(full_name=OFFICE, kind=Agency.Kind.GOVERNMENT)
    supervisor = User.objects.create_user(SUPERVISOR, password=PASSWORD)
    Membership.objects.create(user=supervisor, agency=office, role=Membership.Role.SUPERVISOR)
    agencies = Agency.objects.bulk_create([Agency(full_name=f"基准测试区第{n + 1:03d}单位", kind=Agency.Kind.DEPARTMENT,
                                                  parent=office) for n in range(units)])
    unusable = make_password(None)
    admins = User.objects.bulk_create([User(username=f"bench_unit_{n + 1:03d}", password=unusable,
                                            email=f"unit{n + 1}@bench.example") for n in range(units)])
    Membership.objects.bulk_create([Membership(user=u, agency=a, role=Membership.Role.AGENCY_ADMIN)
                                    for u, a in zip(admins, agencies, strict=True)])
    RosterUnit.objects.bulk_create([RosterUnit(office=office, agency=a, name=a.full_name, liaison_user=u)
                                    for u, a in zip(admins, agencies, strict=True)])
    now = timezone.now()
    first_day = today - timedelta(days=365 * years)
    from django.db import connection

    if connection.vendor == "sqlite":
        _generate_cases_in_sqlite(office.pk, years * per_year, (today - first_day).days, today, now)
        progress(f"  {units * years * per_year:,} cases", flush=True)
    else:
        made = 0
        for n, agency in enumerate(agencies):
            rows = [_case(rng, agency.pk, f"JZ{n + 1:03d}-{i + 1:06d}", first_day + timedelta(days=rng.randrange(
                (today - first_day).days + 1)), today) for i in range(years * per_year)]
            _insert_cases(rows, now)
            made += len(rows)
            if (n + 1) % 25 == 0:
                progress(f"  {n + 1}/{units} units, {made:,} cases", flush=True)

    item = CheckinItem.objects.create(office=office, text="本周是否更新公开专栏")
    CheckinItem.history.filter(id=item.pk).update(history_date=now - timedelta(days=400))
    this_week = week_start_of(today)
    checkins = []
    for back in range(1, 53):
        week = this_week - timedelta(weeks=back)
        due = week_due_at(office, week)
        for agency in agencies:
            roll = rng.random()
            if roll < 0.05:
                continue  # missing
            checkins.append(Checkin(office=office, agency=agency, week_start=week, due_at=due,
                                    submitted_at=due + timedelta(hours=5 if roll < 0.12 else -5)))
    Checkin.objects.bulk_create(checkins, batch_size=2000)
    findings, publications = [], []
    month = today.replace(day=1)
    for _ in range(12):
        month = (month - timedelta(days=1)).replace(day=1)
        for agency in agencies:
            if rng.random() < 0.3:
                accepted = month < today.replace(day=1) - timedelta(days=60)
                findings.append(Finding(office=office, agency=agency, month=month, kind=Finding.Check.MANUAL,
                                        description="基准测试：栏目链接打不开", due_on=month + timedelta(days=20),
                                        state=Finding.State.ACCEPTED if accepted else Finding.State.ASSIGNED))
    Finding.objects.bulk_create(findings, batch_size=2000)
    aware = timezone.make_aware(datetime.combine(today - timedelta(days=60), time(9)))
    for agency in agencies:
        for k in range(3):
            publications.append(Publication(agency=agency, index_number=f"JZ{agency.pk}-{k}", title=f"基准测试通知{k}",
                                            genre="notice", article20_item=1, body="正文", created_at=aware,
                                            formed_on=today - timedelta(days=15 + 20 * k)))
    Publication.objects.bulk_create(publications, batch_size=2000)
    progress(f"  {len(checkins):,} check-ins, {len(findings):,} findings, {len(publications):,} publications",
             flush=True)
    return office
