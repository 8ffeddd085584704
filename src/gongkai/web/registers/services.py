"""The inputs of table 二: the register of 规章 / 行政规范性文件 and the yearly figures.

Who may change them: 承办 or 机构管理员 of the agency (superusers pass); a supervisor
(主管部门) of a parent agency sees its subtree's registers read-only.  Every change is kept
by django-simple-history with the acting user.

Published publications of genre 规章 / 行政规范性文件 feed the same register
(``regulatory_document_sync``), so ``annual/build.py::_proactive_table`` keeps one
counting rule for table 二 whichever way a document came in.  A row linked to a
publication follows the publication and its 有效性 history and is not edited by hand or
by import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.agencies.selectors import user_roles_in
from gongkai.web.disclosure.models import Genre, Publication, PublicationEvent, Validity

from .importing import DOCUMENTS, RegisterHasErrors, read_register, register_kind_of
from .models import RegulatoryDocument, YearlyFigures

Role = Membership.Role
REGISTER_ROLES = (Role.HANDLER, Role.AGENCY_ADMIN)
KIND_OF_GENRE = {Genre.RULE: RegulatoryDocument.Kind.RULE,
                 Genre.NORMATIVE_DOCUMENT: RegulatoryDocument.Kind.NORMATIVE_DOCUMENT}
DOCUMENT_FIELDS = ("kind", "title", "document_number", "issued_on", "repealed_on")
FIGURE_FIELDS = ("licensing_decisions", "penalty_decisions", "coercion_decisions", "fees_amount_10k_yuan")
ENDING_VALIDITIES = (Validity.REPEALED, Validity.EXPIRED)


def register_may_edit(user, agency: Agency) -> bool:
    """Whether ``user`` may change ``agency``'s register and figures (the pages ask this too)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or bool(user_roles_in(user, agency) & set(REGISTER_ROLES))


def _require(user, agency: Agency) -> None:
    if not register_may_edit(user, agency):
        labels = "或".join(Role(role).label for role in REGISTER_ROLES)
        raise PermissionDenied(f"需要在「{agency}」担任{labels}岗位才能修改表二登记簿")


# ---------------------------------------------------------------- documents


def regulatory_document_match(*, agency: Agency, document_number: str, title: str, issued_on: date | None):
    """The stored document that is the same entry: same 文号, or same 名称 and 制发日期 when there is no 文号."""
    documents = RegulatoryDocument.objects.filter(agency=agency)
    number = (document_number or "").strip()
    if number:
        return documents.filter(document_number=number).order_by("pk").first()
    return documents.filter(document_number="", title=title.strip(), issued_on=issued_on).order_by("pk").first()


def _check_document(document: RegulatoryDocument, *, today: date) -> None:
    errors: dict[str, str] = {}
    if document.kind not in RegulatoryDocument.Kind.values:
        errors["kind"] = "类别应为 规章 或 行政规范性文件"
    if not (document.title or "").strip():
        errors["title"] = "必须填写名称"
    if document.issued_on and document.issued_on > today:
        errors["issued_on"] = "制发日期不能晚于今天"
    if document.repealed_on and document.issued_on and document.repealed_on < document.issued_on:
        errors["repealed_on"] = f"废止日期早于制发日期 {document.issued_on:%Y-%m-%d}"
    elif document.repealed_on and document.repealed_on > today:
        errors["repealed_on"] = "废止日期不能晚于今天"
    twin = regulatory_document_match(agency=document.agency, document_number=document.document_number,
                                     title=document.title or "", issued_on=document.issued_on)
    if twin is not None and twin.pk != document.pk:
        what = f"文号「{document.document_number}」" if document.document_number else "同名称、同制发日期的文件"
        errors["document_number" if document.document_number else "title"] = f"{what}已登记过"
    if errors:
        raise ValidationError(errors)


def _save_document(document: RegulatoryDocument, acting_user) -> RegulatoryDocument:
    document.title = document.title.strip()
    document.document_number = (document.document_number or "").strip()
    _check_document(document, today=timezone.localdate())
    document.full_clean(exclude=["kind"])
    document._history_user = acting_user
    document.save()
    return document


def _refuse_if_linked(document: RegulatoryDocument) -> None:
    if document.publication_id:
        raise ValidationError(f"「{document.title}」由主动公开信息同步（有效性以该信息为准），请在主动公开信息中修改")


@transaction.atomic
def regulatory_document_create(*, agency: Agency, acting_user, kind: str, title: str, issued_on: date,
                               document_number: str = "", repealed_on: date | None = None) -> RegulatoryDocument:
    _require(acting_user, agency)
    document = RegulatoryDocument(agency=agency, kind=kind, title=title or "", document_number=document_number or "",
                                  issued_on=issued_on, repealed_on=repealed_on)
    return _save_document(document, acting_user)


@transaction.atomic
def regulatory_document_update(*, document: RegulatoryDocument, acting_user, **changes) -> RegulatoryDocument:
    locked = RegulatoryDocument.objects.select_for_update().select_related("agency").get(pk=document.pk)
    _require(acting_user, locked.agency)
    _refuse_if_linked(locked)
    unknown = set(changes) - set(DOCUMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown document fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(locked, name, value)
    return _save_document(locked, acting_user)


@transaction.atomic
def regulatory_document_repeal(*, document: RegulatoryDocument, acting_user, repealed_on: date) -> RegulatoryDocument:
    """废止: the day the document stopped being in force (table 二 counts it as repealed that year)."""
    locked = RegulatoryDocument.objects.select_for_update().select_related("agency").get(pk=document.pk)
    _require(acting_user, locked.agency)
    _refuse_if_linked(locked)
    if locked.repealed_on is not None:
        raise ValidationError({"repealed_on": f"「{locked.title}」已于 {locked.repealed_on:%Y-%m-%d} 废止"})
    locked.repealed_on = repealed_on
    return _save_document(locked, acting_user)


# ---------------------------------------------------------------- yearly figures


def _check_figures(values: dict) -> None:
    errors = {}
    for name in FIGURE_FIELDS:
        value = values.get(name)
        if value is not None and value < 0:
            errors[name] = "不能为负数"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def yearly_figures_set(*, agency: Agency, acting_user, year: int, **figures) -> YearlyFigures:
    """Set an agency-year's decision counts and fee income; a figure given as None is unstated (blank)."""
    _require(acting_user, agency)
    unknown = set(figures) - set(FIGURE_FIELDS)
    if unknown:
        raise TypeError(f"unknown figure fields: {sorted(unknown)}")
    if not 2008 <= year <= timezone.localdate().year:
        raise ValidationError({"year": f"年度应在 2008—{timezone.localdate().year} 之间"})
    _check_figures(figures)
    row = YearlyFigures.objects.select_for_update().filter(agency=agency, year=year).first()
    row = row or YearlyFigures(agency=agency, year=year)
    for name, value in figures.items():
        setattr(row, name, Decimal(value) if name == "fees_amount_10k_yuan" and value is not None else value)
    row.full_clean(validate_unique=False)
    row._history_user = acting_user
    row.save()
    return row


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    def __str__(self) -> str:
        return f"新增 {self.created} 条，更新 {self.updated} 条，未变 {self.unchanged} 条"


@transaction.atomic
def register_import(*, agency: Agency, acting_user, path: str | Path, kind: str) -> ImportResult:
    """Import a register file (``documents`` or ``figures``): all rows or none.

    Rows are matched to what is stored (documents by 文号, or 名称 + 制发日期 without one;
    figures by 年度) and updated, so importing the same file twice changes nothing the
    second time.  Any bad row raises ``RegisterHasErrors`` listing every one, before
    anything is written.
    """
    _require(acting_user, agency)
    return _import(agency, acting_user, path, kind)


def register_import_from_command_line(*, agency: Agency, path: str | Path, kind: str | None = None) -> ImportResult:
    """``gongkai registers import``: run by whoever holds the database, so no role is checked.

    ``kind`` None reads the headers to tell a documents file from a figures file.
    """
    with transaction.atomic():
        return _import(agency, None, path, kind or register_kind_of(path))


def _import(agency: Agency, acting_user, path, kind: str) -> ImportResult:
    register = read_register(path, kind)
    today = timezone.localdate()
    if kind == DOCUMENTS:
        plan = _plan_documents(agency, register, today)
    else:
        plan = _plan_figures(agency, register, today)
    if register.errors:
        raise RegisterHasErrors(register.errors, path=str(path))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for target, values in plan:
        changed = {name: value for name, value in values.items() if getattr(target, name) != value}
        if target.pk is not None and not changed:
            counts["unchanged"] += 1
            continue
        counts["created" if target.pk is None else "updated"] += 1
        for name, value in changed.items():
            setattr(target, name, value)
        target._history_user = acting_user
        target.save()
    return ImportResult(**counts)


def _plan_documents(agency: Agency, register, today: date) -> list:
    plan = []
    for row in register.rows:
        values = row.values
        stored = regulatory_document_match(agency=agency, document_number=values["document_number"],
                                           title=values["title"], issued_on=values["issued_on"])
        if stored is not None and stored.publication_id:
            column = "document_number" if values["document_number"] else "title"
            register.error(row.row, column, values[column],
                           "该文件由主动公开信息同步，有效性以该信息为准，不能通过导入修改", "row.linked")
            continue
        for name in ("issued_on", "repealed_on"):
            if values[name] and values[name] > today:
                register.error(row.row, name, values[name].isoformat(), "日期不能晚于今天", "date.future")
        plan.append((stored or RegulatoryDocument(agency=agency), values))
    return plan


def _plan_figures(agency: Agency, register, today: date) -> list:
    plan = []
    stored = {row.year: row for row in YearlyFigures.objects.filter(agency=agency)}
    for row in register.rows:
        values = dict(row.values)
        year = values.pop("year")
        if year > today.year:
            register.error(row.row, "year", year, f"年度不能晚于今年（{today.year}）", "year.future")
            continue
        plan.append((stored.get(year) or YearlyFigures(agency=agency, year=year), values))
    return plan


# ---------------------------------------------------------------- publications → register


def _withdrawn_before_release(publication: Publication) -> bool:
    """Withdrawn while its scheduled release was still ahead: it never stood in force publicly."""
    if publication.state != Publication.State.WITHDRAWN:
        return False
    withdrawal = (PublicationEvent.objects.filter(publication=publication, action="withdraw")
                  .order_by("-pk").values_list("created_at", flat=True).first())
    return publication.publish_at is None or (withdrawal is not None and publication.publish_at > withdrawal)


def _drop_link(publication: Publication) -> None:
    """Remove the register row the publication created (it never counted) — history keeps it."""
    document = RegulatoryDocument.objects.filter(publication=publication).first()
    if document is not None:
        document.delete()


def regulatory_document_sync(publication: Publication) -> RegulatoryDocument | None:
    """Bring the register row of a published 规章 / 行政规范性文件 in line with the publication.

    * kind from 体裁, title, 文号 from the publication;
    * issued_on = 成文日期, or the first 有效 change when it has none;
    * repealed_on = the first 废止 or 失效 change (a later 有效 does not revive it: a
      repealed document is re-issued as a new one, which the register counts anew).

    Only published (or published, then withdrawn) items feed table 二.  An item withdrawn
    before its scheduled release never stood in force publicly, so its row is removed; one
    withdrawn after release keeps its row — it was issued and in force, and the withdrawal
    from the portal is not a repeal (that is recorded as a 有效性 change).  A row already
    entered by hand or by import with the same 文号 (or 名称 + 制发日期) is linked rather
    than duplicated.  Call within the transaction that changed the publication.
    """
    publication = Publication.objects.select_related("agency").get(pk=publication.pk)
    kind = KIND_OF_GENRE.get(publication.genre)
    if kind is None or publication.published_on is None or _withdrawn_before_release(publication):
        _drop_link(publication)  # never (or no longer) a regulatory document that was released
        return None
    changes = list(publication.validity_changes.order_by("effective_on", "pk"))
    first_in_force = next((c.effective_on for c in changes if c.validity == Validity.IN_FORCE), None)
    issued_on = publication.written_on or first_in_force or publication.published_on
    repealed_on = next((c.effective_on for c in changes if c.validity in ENDING_VALIDITIES), None)
    if repealed_on is not None and repealed_on < issued_on:
        raise ValidationError(f"「{publication.title}」的废止/失效日期 {repealed_on:%Y-%m-%d} 早于成文日期 "
                              f"{issued_on:%Y-%m-%d}，无法计入表二")
    document = RegulatoryDocument.objects.select_for_update().filter(publication=publication).first()
    if document is None:
        document = regulatory_document_match(agency=publication.agency, document_number=publication.doc_number,
                                             title=publication.title, issued_on=issued_on)
        if document is not None and document.publication_id:
            document = None  # the twin belongs to another publication: keep both rather than steal it
    document = document or RegulatoryDocument(agency=publication.agency)
    document.publication = publication
    document.kind, document.title, document.document_number = kind, publication.title, publication.doc_number
    document.issued_on, document.repealed_on = issued_on, repealed_on
    document.full_clean(exclude=["publication"])
    document.save()
    return document
