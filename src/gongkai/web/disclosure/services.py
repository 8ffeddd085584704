"""Every step of a publication, one service each.

Each step is keyword-only, runs in one transaction, locks the row, checks the acting user's
role in the publication's agency, refuses a step from the wrong state, writes a
``PublicationEvent`` with the comment, and brings the search index in line after commit.

Four eyes: whoever wrote or submitted a version (``writers_of``) may not approve, clear or
sign it, whatever roles they hold.  A 更正 of a published item is such a version too: a
new row (``revision_of``) that goes through 审核, 保密审查 and 签发 while the item stays
public as it was; 签发 copies the corrected fields onto the item.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.agencies.selectors import users_holding
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
    "correct": Step("更正", (State.PUBLISHED,), None, (Role.HANDLER, Role.SIGNER, Role.AGENCY_ADMIN),
                    needs_comment=True),
}
# The steps a writer of the version may not take on it (four eyes).
REVIEW_STEPS = ("approve", "clear", "publish")
# Events whose user wrote or submitted the version.
WRITING_ACTIONS = ("create", "create_correction", "update", "add_attachment", "remove_attachment", "submit", "import")
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


def disclosure_role_holders(agency: Agency, roles) -> list:
    """The active users holding one of ``roles`` (``Membership`` or ``DisclosureRole``) in this agency."""
    holders = {user.pk: user for user in users_holding(agency, roles)}
    for role in DisclosureRole.objects.filter(agency=agency, role__in=list(roles), user__is_active=True) \
            .select_related("user"):
        holders.setdefault(role.user_id, role.user)
    return sorted(holders.values(), key=lambda user: (user.last_name, user.first_name, user.get_username()))


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


def writers_of(publication: Publication) -> set[int]:
    """Ids of the users who wrote or submitted this version (a correction is a version of its own)."""
    return set(publication.events.filter(action__in=WRITING_ACTIONS, acting_user__isnull=False)
               .values_list("acting_user_id", flat=True))


def four_eyes_refusal(user, publication: Publication, action: str) -> str | None:
    """Why ``user`` may not take ``action`` on this version although a role may allow it; None if they may."""
    if action not in REVIEW_STEPS or user is None or user.pk not in writers_of(publication):
        return None
    return (f"您撰写或提交了「{publication.title}」的这一版本，按“双人复核”规定不能{STEPS[action].label}，"
            f"须由本机构其他担任{role_labels(STEPS[action].roles)}岗位的人员办理")


def _require_four_eyes(user, publication: Publication, action: str) -> None:
    refusal = four_eyes_refusal(user, publication, action)
    if refusal:
        raise PermissionDenied(refusal)


def role_allows(user, publication: Publication, action: str) -> bool:
    """The state and the user's role allow ``action`` (four eyes aside)."""
    if publication.state not in STEPS[action].sources:
        return False
    if action == "correct" and publication.is_revision:
        return False
    try:
        require_role(user, publication.agency, step_roles(action, publication.state))
    except PermissionDenied:
        return False
    return True


def can_take(user, publication: Publication, action: str) -> bool:
    return role_allows(user, publication, action) and four_eyes_refusal(user, publication, action) is None


def pending_correction(publication: Publication) -> Publication | None:
    """The correction of this published item still on its way through review, if any."""
    return publication.revisions.exclude(state=State.MERGED).order_by("-pk").first()


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
    if locked.is_revision and set(fields) - set(CORRECTABLE_FIELDS):
        raise ValidationError("更正只能修改可更正的内容（标题、文号、正文等），不能修改这些字段："
                              + "、".join(sorted(str(Publication._meta.get_field(name).verbose_name)
                                                for name in set(fields) - set(CORRECTABLE_FIELDS))))
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
    if publication.is_revision:
        raise ValidationError("更正不改变附件；附件有误的，请撤回后重新发布")
    kind = attachment_check(name=name, content=content)
    attachment = Attachment.objects.create(publication=publication, name=name, kind=kind, size=len(content),
                                           content=content)
    PublicationEvent.objects.create(publication=publication, action="add_attachment", from_state=publication.state,
                                    to_state=publication.state, acting_user=acting_user,
                                    comment=f"添加附件「{name}」", data={"name": name, "size": len(content)})
    return attachment


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
    _require_four_eyes(acting_user, locked, action)
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
    """签发: the item is released now, or at ``publish_at`` (invisible everywhere until then).

    签发 of a correction puts its content onto the item it corrects, at once.
    """
    if publication.is_revision:
        return _correction_sign(publication, acting_user, comment, publish_at)
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
    """更正 a published item: a new version with the changes, submitted for 审核 at once.

    The item stays public as it was until the correction is signed (``publication_publish``);
    the corrector wrote the new version, so they may not approve, clear or sign it.
    """
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationError(f"不能更正这些字段：{'、'.join(sorted(unknown))}")
    original = Publication.objects.select_for_update().select_related("agency").get(pk=publication.pk)
    require_role(acting_user, original.agency, STEPS["correct"].roles)
    if original.is_revision or original.state not in STEPS["correct"].sources:
        raise ValidationError(f"「{original.title}」处于「{original.get_state_display()}」环节，不能更正")
    if not (comment or "").strip():
        raise ValidationError("更正必须写明理由")
    changes = {name: value for name, value in changes.items() if getattr(original, name) != value}
    if not changes:
        raise ValidationError("没有要更正的内容")
    pending = pending_correction(original)
    if pending is not None:
        raise ValidationError(f"「{original.title}」已有一份更正正在「{pending.get_state_display()}」环节，"
                              "请在那份更正上修改")
    revision = Publication(agency=original.agency, revision_of=original, state=State.REVIEW,
                           index_number=f"{original.index_number}（更正{original.revisions.count() + 1}）",
                           **{name: getattr(original, name) for name in EDITABLE_FIELDS if name != "publish_at"})
    for name, value in changes.items():
        setattr(revision, name, value)
    revision.full_clean()
    revision.save()
    old = {name: str(getattr(original, name)) for name in changes}
    PublicationEvent.objects.create(publication=revision, action="create_correction", to_state=State.DRAFT,
                                    acting_user=acting_user, comment=comment.strip(),
                                    data={"corrects": original.pk, "old": old,
                                          "new": {name: str(value) for name, value in changes.items()}})
    PublicationEvent.objects.create(publication=revision, action="submit", from_state=State.DRAFT,
                                    to_state=State.REVIEW, acting_user=acting_user)
    PublicationEvent.objects.create(publication=original, action="correction_started", from_state=original.state,
                                    to_state=original.state, acting_user=acting_user, comment=comment.strip(),
                                    data={"revision": revision.pk})
    return revision


def _correction_sign(revision: Publication, acting_user, comment: str, publish_at) -> Publication:
    """签发 of a correction: its corrected fields replace the item's, which stays public throughout."""
    if publish_at is not None:
        raise ValidationError("更正签发后立即生效，不能定时发布")
    signed = _step("publish", revision, acting_user, comment, lambda p: setattr(p, "state", State.MERGED))
    original = Publication.objects.select_for_update().select_related("agency").get(pk=signed.revision_of_id)
    if original.state != State.PUBLISHED:
        raise ValidationError(f"「{original.title}」已不在发布状态（{original.get_state_display()}），更正不能生效")
    changed = {name: getattr(signed, name) for name in CORRECTABLE_FIELDS
               if getattr(signed, name) != getattr(original, name)}
    old = {name: str(getattr(original, name)) for name in changed}
    for name, value in changed.items():
        setattr(original, name, value)
    original.corrected_at = timezone.now()
    original.full_clean()
    original.save()
    reason = signed.events.filter(action="create_correction").values_list("comment", flat=True).first() or ""
    PublicationEvent.objects.create(publication=original, action="correct", from_state=original.state,
                                    to_state=original.state, acting_user=acting_user, comment=reason,
                                    data={"old": old, "new": {name: str(value) for name, value in changed.items()},
                                          "revision": signed.pk, "signed_comment": comment or ""})
    regulatory_document_sync(original)  # title, 文号, 成文日期 or 体裁 may have changed
    _sync_after_commit(original.pk)
    return original


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
