"""Every step of a publication, one service each.

Each step is keyword-only, runs in one transaction, locks the row, checks the acting user's
role in the publication's agency, refuses a step from the wrong state, writes a
``PublicationEvent`` with the comment, and brings the search index in line after commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.counters import counter_advance
from gongkai.web.registers.services import regulatory_document_sync

from .attachments import attachment_check
from .models import (
    GENRES_WITH_VALIDITY,
    AgencyDisclosure,
    Attachment,
    DisclosureRole,
    IndexNumberCounter,
    Publication,
    PublicationEvent,
    Validity,
    ValidityChange,
)
from .search import search_sync

State = Publication.State
Role = Membership.Role


@dataclass(frozen=True)
class Step:
    label: str
    sources: tuple[str, ...]
    target: str | None  # None: the state stays (更正)
    roles: tuple[str, ...]  # Membership roles or DisclosureRole roles, in the publication's agency
    needs_comment: bool = False


STEPS: dict[str, Step] = {
    "submit": Step("提交审核", (State.DRAFT,), State.REVIEW, (Role.HANDLER,)),
    "approve": Step("审核通过", (State.REVIEW,), State.SECRECY_REVIEW, (Role.REVIEWER,)),
    "clear": Step("保密审查通过", (State.SECRECY_REVIEW,), State.SIGNING, (DisclosureRole.Role.SECRECY_REVIEWER,)),
    "publish": Step("签发并发布", (State.SIGNING,), State.PUBLISHED, (Role.SIGNER,)),
    "return": Step("退回修改", (State.REVIEW, State.SECRECY_REVIEW, State.SIGNING), State.DRAFT,
                   (Role.REVIEWER, DisclosureRole.Role.SECRECY_REVIEWER, Role.SIGNER), needs_comment=True),
    "withdraw": Step("撤回", (State.PUBLISHED,), State.WITHDRAWN, (Role.SIGNER, Role.AGENCY_ADMIN),
                     needs_comment=True),
    "correct": Step("更正", (State.PUBLISHED,), None, (Role.SIGNER, Role.AGENCY_ADMIN), needs_comment=True),
}
# 退回 is taken by the role of the step the item is at: a 保密审查 user cannot return an item at 审核.
RETURN_ROLES = {State.REVIEW: (Role.REVIEWER,), State.SECRECY_REVIEW: (DisclosureRole.Role.SECRECY_REVIEWER,),
                State.SIGNING: (Role.SIGNER,)}
EDIT_ROLES = (Role.HANDLER,)
CORRECTABLE_FIELDS = ("title", "doc_number", "body", "written_on", "topic", "column", "catalogue_domain",
                      "catalogue_matter", "article20_item", "genre")
# publish_at on a draft is the writer's proposed release time; 签发 decides (publication_publish).
EDITABLE_FIELDS = (*CORRECTABLE_FIELDS, "formed_on", "validity", "interprets", "publish_at")
VALIDITY_ROLES = (Role.SIGNER, Role.AGENCY_ADMIN)


# ---------------------------------------------------------------- roles


def disclosure_roles_of(user, agency: Agency) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return (set(Membership.objects.filter(user=user, agency=agency).values_list("role", flat=True))
            | set(DisclosureRole.objects.filter(user=user, agency=agency).values_list("role", flat=True)))


def role_labels(roles) -> str:
    labels = {**dict(Role.choices), **dict(DisclosureRole.Role.choices)}
    return "或".join(labels[role] for role in roles)


def require_role(user, agency: Agency, roles) -> None:
    if getattr(user, "is_superuser", False) and user.is_active:
        return
    if not disclosure_roles_of(user, agency) & set(roles):
        raise PermissionDenied(f"需要在「{agency}」担任{role_labels(roles)}岗位才能执行此操作")


def step_roles(action: str, state: str) -> tuple[str, ...]:
    """The roles that may take ``action`` on an item in ``state``."""
    if action == "return":
        return RETURN_ROLES.get(state, STEPS[action].roles)
    return STEPS[action].roles


def can_take(user, publication: Publication, action: str) -> bool:
    step = STEPS[action]
    if publication.state not in step.sources:
        return False
    try:
        require_role(user, publication.agency, step_roles(action, publication.state))
    except PermissionDenied:
        return False
    return True


def can_edit(user, publication: Publication) -> bool:
    """May ``user`` change this draft (or attach files to it) now?"""
    if publication.state != State.DRAFT:
        return False
    try:
        require_role(user, publication.agency, EDIT_ROLES)
    except PermissionDenied:
        return False
    return True


def can_set_validity(user, publication: Publication) -> bool:
    """May ``user`` record a 有效性 change of this published 规章 or 行政规范性文件 now?"""
    if publication.genre not in GENRES_WITH_VALIDITY or publication.state != State.PUBLISHED:
        return False
    try:
        require_role(user, publication.agency, VALIDITY_ROLES)
    except PermissionDenied:
        return False
    return True


def _sync_after_commit(publication_id: int) -> None:
    transaction.on_commit(lambda: search_sync(publication_id))


# ---------------------------------------------------------------- index numbers


def agency_disclosure_of(agency: Agency) -> AgencyDisclosure:
    settings_row, _ = AgencyDisclosure.objects.get_or_create(agency=agency, defaults={"agency_code": f"{agency.pk:03d}"})
    return settings_row


def index_number_allocate(*, agency: Agency, year: int) -> str:
    """The next 索引号 of an agency's year; the counter row is locked, so never a duplicate."""
    pattern = agency_disclosure_of(agency)
    seq = counter_advance(IndexNumberCounter, agency=agency, year=year)
    return pattern.index_pattern.format(agency_code=pattern.agency_code, year=year, seq=seq)


# ---------------------------------------------------------------- writing (撰写)


@transaction.atomic
def publication_create(*, agency: Agency, acting_user, title: str, genre: str, article20_item: int,
                       formed_on: date, comment: str = "", **fields) -> Publication:
    """A new draft (撰写) with a fresh 索引号. ``fields`` are the other editable fields."""
    require_role(acting_user, agency, EDIT_ROLES)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown publication fields: {sorted(unknown)}")
    publication = Publication(agency=agency, title=title, genre=genre, article20_item=article20_item,
                              formed_on=formed_on, **fields)
    if publication.genre in GENRES_WITH_VALIDITY and not publication.validity:
        publication.validity = Validity.IN_FORCE
    publication.index_number = index_number_allocate(agency=agency, year=timezone.localdate().year)
    publication.full_clean()
    publication.save()
    PublicationEvent.objects.create(publication=publication, action="create", to_state=publication.state,
                                    acting_user=acting_user, comment=comment)
    return publication


@transaction.atomic
def publication_update(*, publication: Publication, acting_user, comment: str = "", **fields) -> Publication:
    """Change a draft; only items in 撰写 may be edited (published ones are corrected instead)."""
    locked = Publication.objects.select_for_update().get(pk=publication.pk)
    require_role(acting_user, locked.agency, EDIT_ROLES)
    if locked.state != State.DRAFT:
        raise ValidationError(f"「{locked.title}」处于「{locked.get_state_display()}」环节，不能修改；已发布的请用更正")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown publication fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    PublicationEvent.objects.create(publication=locked, action="update", from_state=locked.state,
                                    to_state=locked.state, acting_user=acting_user, comment=comment,
                                    data={"fields": sorted(fields)})
    return locked


@transaction.atomic
def attachment_add(*, publication: Publication, acting_user, name: str, content: bytes) -> Attachment:
    """Attach a checked file to a draft (type by content sniffing, and size)."""
    require_role(acting_user, publication.agency, EDIT_ROLES)
    if publication.state != State.DRAFT:
        raise ValidationError("只能在撰写环节添加附件")
    kind = attachment_check(name=name, content=content)
    return Attachment.objects.create(publication=publication, name=name, kind=kind, size=len(content),
                                     content=content)


@transaction.atomic
def attachment_remove(*, attachment: Attachment, acting_user) -> None:
    """Take a file off a draft (a wrong upload); the removal stays in the item's history."""
    locked = Publication.objects.select_for_update().select_related("agency").get(pk=attachment.publication_id)
    require_role(acting_user, locked.agency, EDIT_ROLES)
    if locked.state != State.DRAFT:
        raise ValidationError("只能在撰写环节删除附件")
    PublicationEvent.objects.create(publication=locked, action="remove_attachment", from_state=locked.state,
                                    to_state=locked.state, acting_user=acting_user,
                                    comment=f"删除附件「{attachment.name}」",
                                    data={"name": attachment.name, "size": attachment.size})
    attachment.delete()


# ---------------------------------------------------------------- review steps


def _step(action: str, publication: Publication, acting_user, comment: str, apply=None, data=None) -> Publication:
    step = STEPS[action]
    locked = Publication.objects.select_for_update().select_related("agency").get(pk=publication.pk)
    require_role(acting_user, locked.agency, step_roles(action, locked.state))
    if locked.state not in step.sources:
        raise ValidationError(f"「{locked.title}」处于「{locked.get_state_display()}」环节，不能{step.label}")
    if step.needs_comment and not (comment or "").strip():
        raise ValidationError(f"{step.label}必须写明理由")
    before = locked.state
    if step.target is not None:
        locked.state = step.target
    if apply is not None:
        apply(locked)
    locked.full_clean()
    locked.save()
    PublicationEvent.objects.create(publication=locked, action=action, from_state=before, to_state=locked.state,
                                    acting_user=acting_user, comment=comment or "", data=data or {})
    if before == State.PUBLISHED or locked.state == State.PUBLISHED:
        _sync_after_commit(locked.pk)
    return locked


@transaction.atomic
def publication_submit(*, publication: Publication, acting_user, comment: str = "") -> Publication:
    return _step("submit", publication, acting_user, comment)


@transaction.atomic
def publication_approve(*, publication: Publication, acting_user, comment: str = "") -> Publication:
    return _step("approve", publication, acting_user, comment)


@transaction.atomic
def publication_clear(*, publication: Publication, acting_user, comment: str = "") -> Publication:
    """保密审查通过."""
    return _step("clear", publication, acting_user, comment)


@transaction.atomic
def publication_return(*, publication: Publication, acting_user, comment: str) -> Publication:
    """退回撰写 from any review step, with the reason."""
    return _step("return", publication, acting_user, comment)


@transaction.atomic
def publication_publish(*, publication: Publication, acting_user, comment: str = "",
                        publish_at: datetime | None = None) -> Publication:
    """签发: the item is released now, or at ``publish_at`` (invisible everywhere until then)."""
    now = timezone.now()
    when = publish_at or now

    def apply(p: Publication) -> None:
        p.publish_at = when
        p.published_on = timezone.localdate(when)

    published = _step("publish", publication, acting_user, comment, apply,
                      {"publish_at": when.isoformat(), "scheduled": when > now})
    if published.validity and not published.validity_changes.exists():
        # The first entry of the dated 有效性 history: in force from its release (table 二 reads this).
        ValidityChange.objects.create(publication=published, validity=published.validity,
                                      effective_on=published.published_on, note="发布", recorded_by=acting_user)
    regulatory_document_sync(published)  # table 二 counts 规章/行政规范性文件 from the register
    return published


@transaction.atomic
def publication_withdraw(*, publication: Publication, acting_user, comment: str) -> Publication:
    """撤回: gone from the portal, search and feeds at once; the record and its history stay."""
    def apply(p: Publication) -> None:
        p.withdrawn_reason = comment.strip()

    withdrawn = _step("withdraw", publication, acting_user, comment, apply)
    regulatory_document_sync(withdrawn)  # drops its register row only if it was never released
    return withdrawn


@transaction.atomic
def publication_correct(*, publication: Publication, acting_user, comment: str, **changes) -> Publication:
    """更正 a published item in place; the reason and the old values are kept (event + history)."""
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationError(f"不能更正这些字段：{'、'.join(sorted(unknown))}")
    if not changes:
        raise ValidationError("没有要更正的内容")
    old = {name: str(getattr(publication, name)) for name in changes}

    def apply(p: Publication) -> None:
        for name, value in changes.items():
            setattr(p, name, value)
        p.corrected_at = timezone.now()

    corrected = _step("correct", publication, acting_user, comment, apply,
                      {"old": old, "new": {name: str(value) for name, value in changes.items()}})
    regulatory_document_sync(corrected)  # title, 文号, 成文日期 or 体裁 may have changed
    return corrected


@transaction.atomic
def publication_set_validity(*, publication: Publication, acting_user, validity: str, effective_on: date,
                             comment: str = "") -> ValidityChange:
    """Record that a 规章 or 行政规范性文件 became 有效/废止/失效 on a day (dated history)."""
    locked = Publication.objects.select_for_update().select_related("agency").get(pk=publication.pk)
    require_role(acting_user, locked.agency, VALIDITY_ROLES)
    if locked.genre not in GENRES_WITH_VALIDITY:
        raise ValidationError("只有规章和行政规范性文件标注有效性")
    if validity not in Validity.values:
        raise ValidationError(f"未知的有效性：{validity}")
    last = locked.validity_changes.order_by("-effective_on", "-pk").first()
    if last and effective_on < last.effective_on:
        raise ValidationError(f"有效性变化日期不能早于上一次变化（{last.effective_on}）")
    change = ValidityChange.objects.create(publication=locked, validity=validity, effective_on=effective_on,
                                           note=comment, recorded_by=acting_user)
    before = locked.validity
    locked.validity = validity
    locked.save(update_fields=["validity", "updated_at"])
    PublicationEvent.objects.create(publication=locked, action="set_validity", from_state=locked.state,
                                    to_state=locked.state, acting_user=acting_user, comment=comment,
                                    data={"from": before, "to": validity, "effective_on": effective_on.isoformat()})
    regulatory_document_sync(locked)  # table 二: issued / repealed dates come from this history
    return change
