"""Staff pages of 主动公开: the agency's publications, writing a draft, the review steps, and catalogue import.

The views stay thin: every change goes through ``disclosure.services`` (or ``catalogue_import``),
which check the user's role again; a step is offered only when the same check allows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from gongkai.ledger.errors import row_errors_first
from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.agencies.selectors import agencies_visible_to
from gongkai.web.disclosure import services
from gongkai.web.disclosure.attachments import CONTENT_TYPES, attachment_check
from gongkai.web.disclosure.catalogue_import import (
    HISTORY_IMPORT_ROLES,
    AttachmentZip,
    CatalogueHasErrors,
    CatalogueUnreadable,
    catalogue_import,
)
from gongkai.web.disclosure.models import (
    Attachment,
    DisclosureRole,
    Genre,
    Publication,
    Validity,
)
from gongkai.web.query import id_from
from gongkai.web.supervision.drilldown import publications_drilldown

from .views import LOGIN_URL
from .waiting import waiting_for

PAGE_SIZE = 25
ATTACHMENT_NAME_MAX = Attachment._meta.get_field("name").max_length
State = Publication.State
DRAFT_FIELDS = ["title", "doc_number", "written_on", "formed_on", "topic", "column", "genre", "article20_item",
                "catalogue_domain", "catalogue_matter", "validity", "body", "interprets", "publish_at"]
EVENT_LABELS = {"create": "撰写", "update": "修改草稿", "import": "导入", "set_validity": "记录有效性变化",
                "remove_attachment": "删除附件", "add_attachment": "添加附件", "create_correction": "撰写更正",
                "correction_started": "提出更正（待审核，原内容继续公开）",
                **{key: step.label for key, step in services.STEPS.items()}}
staff_login_required = login_required(login_url=LOGIN_URL)


# ---------------------------------------------------------------- who sees what


def publications_for_staff(user) -> QuerySet[Publication]:
    """Every publication (any state) of the agencies the user works in or supervises.

    The 保密审查 role (``DisclosureRole``) is not a ``Membership``, so its agencies are added here.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Publication.objects.none()
    secrecy_agencies = DisclosureRole.objects.filter(user=user).values("agency")
    return Publication.objects.filter(Q(agency__in=agencies_visible_to(user)) | Q(agency__in=secrecy_agencies))


def _agencies_with_role(user, roles) -> QuerySet[Agency]:
    if user.is_superuser:
        return Agency.objects.order_by("full_name")
    return Agency.objects.filter(memberships__user=user, memberships__role__in=roles).distinct().order_by("full_name")


def writer_agencies(user) -> QuerySet[Agency]:
    return _agencies_with_role(user, services.EDIT_ROLES)


def importer_agencies(user) -> QuerySet[Agency]:
    return _agencies_with_role(user, (Membership.Role.AGENCY_ADMIN, Membership.Role.SIGNER))


# ---------------------------------------------------------------- forms


class DateWidget(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class DateTimeWidget(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class PublicationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Publication) -> str:
        return f"{obj.index_number} {obj.title}"


def _text(value):
    """Browsers send a textarea's line ends as CRLF; store them as LF, like every other writer."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def changed_fields(cleaned: dict, names, current: Publication) -> dict:
    """The fields whose posted value differs from the stored one (so history lists real changes only)."""
    return {name: _text(cleaned[name]) for name in names
            if name in cleaned and _text(cleaned[name]) != getattr(current, name)}


def _future_or_empty(value):
    if value and value < timezone.now():
        raise ValidationError("发布时间不能早于现在；留空则在签发时发布")
    return value


class PublicationForm(forms.ModelForm):
    """A draft's catalogue fields and its attachments; the agency is chosen only for a new item."""

    agency = forms.ModelChoiceField(label="发布机构", queryset=Agency.objects.none(), empty_label=None)
    interprets = PublicationChoiceField(label="所解读的政策", queryset=Publication.objects.none(), required=False,
                                        help_text="体裁为政策解读时，选择本机构所解读的文件")
    attachments = MultipleFileField(label="附件（可多选；PDF、DOCX、XLSX、PNG、JPEG）", required=False)

    class Meta:
        model = Publication
        fields = DRAFT_FIELDS
        widgets = {"written_on": DateWidget(), "formed_on": DateWidget(), "publish_at": DateTimeWidget(),
                   "body": forms.Textarea(attrs={"rows": 12}), "title": forms.TextInput(attrs={"size": 60})}
        labels = {"publish_at": "定时发布时间（可留空，签发时确定）"}

    def __init__(self, *args, user, publication: Publication | None = None, **kwargs):
        super().__init__(*args, instance=publication, **kwargs)
        self.checked_files: list[tuple[str, bytes]] = []
        if publication is not None:
            del self.fields["agency"]  # an item never moves to another agency
            agencies = Agency.objects.filter(pk=publication.agency_id)
            if publication.is_revision:  # a correction changes only what 更正 may change
                for name in set(self.fields) - set(services.CORRECTABLE_FIELDS):
                    del self.fields[name]
        else:
            agencies = writer_agencies(user)
            self.fields["agency"].queryset = agencies
        if "interprets" in self.fields:
            self.fields["interprets"].queryset = (Publication.objects.filter(agency__in=agencies,
                                                                             revision_of__isnull=True)
                                                  .exclude(pk=getattr(publication, "pk", None))
                                                  .exclude(state__in=(State.WITHDRAWN, State.MERGED)).order_by("-pk"))
        self.order_fields(["agency", *DRAFT_FIELDS, "attachments"])

    def clean_publish_at(self):
        return _future_or_empty(self.cleaned_data.get("publish_at"))

    def clean_attachments(self):
        errors, checked = [], []
        if "attachments" not in self.fields:
            return checked
        for upload in self.cleaned_data.get("attachments") or []:
            if len(upload.name) > ATTACHMENT_NAME_MAX:
                errors.append(f"附件「{upload.name}」的文件名超过 {ATTACHMENT_NAME_MAX} 个字符，请改短")
                continue
            content = upload.read()
            try:
                attachment_check(name=upload.name, content=content)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                checked.append((upload.name, content))
        if errors:
            raise ValidationError(errors + ["其他内容已保留，请重新选择附件后再保存"])
        self.checked_files = checked
        return checked

    def clean(self):
        cleaned = super().clean()
        agency = cleaned.get("agency") or (self.instance.agency if self.instance.pk else None)
        interprets = cleaned.get("interprets")
        if agency is not None and interprets is not None and interprets.agency_id != agency.pk:
            self.add_error("interprets", "所解读的政策必须是本机构的信息")
        return cleaned

    def other_fields(self) -> dict:
        """The fields ``publication_create`` takes as keywords beyond the four it names."""
        return {name: _text(self.cleaned_data[name]) for name in DRAFT_FIELDS
                if name not in ("title", "genre", "article20_item", "formed_on")}


class CommentForm(forms.Form):
    comment = forms.CharField(label="意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    comment = forms.CharField(label="理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": "请写明理由"})


class PublishForm(CommentForm):
    publish_at = forms.DateTimeField(label="定时发布时间（留空即现在发布）", required=False, widget=DateTimeWidget(),
                                     error_messages={"invalid": "定时发布时间格式不正确"})

    def clean_publish_at(self):
        return _future_or_empty(self.cleaned_data.get("publish_at"))


class CorrectForm(forms.ModelForm):
    comment = forms.CharField(label="更正理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": "请写明更正理由"})

    class Meta:
        model = Publication
        fields = list(services.CORRECTABLE_FIELDS)
        widgets = {"written_on": DateWidget(), "body": forms.Textarea(attrs={"rows": 8})}


class ValidityForm(forms.Form):
    validity = forms.ChoiceField(label="有效性", choices=Validity.choices,
                                 error_messages={"required": "请选择有效性", "invalid_choice": "有效性无效"})
    effective_on = forms.DateField(label="生效日期", widget=DateWidget(), initial=timezone.localdate,
                                   error_messages={"required": "请填写生效日期", "invalid": "生效日期格式不正确"})
    comment = forms.CharField(label="说明", required=False, max_length=300)


# ---------------------------------------------------------------- steps


@dataclass(frozen=True)
class PublicationStep:
    key: str
    label: str
    make_form: Callable[..., forms.BaseForm]  # make_form(publication, data=None, prefix=...)
    run: Callable[..., Publication | object]  # run(publication, user, form)
    allowed: Callable[[object, Publication], bool]  # allowed(user, publication): role and state


def _plain(form_class):
    return lambda publication, data=None, prefix=None: form_class(data, prefix=prefix)


def _review(action: str, function):
    return PublicationStep(
        action, services.STEPS[action].label,
        _plain(ReasonForm if services.STEPS[action].needs_comment else CommentForm),
        lambda publication, user, form: function(publication=publication, acting_user=user,
                                                 comment=form.cleaned_data["comment"]),
        lambda user, publication: services.can_take(user, publication, action))


def _publish_form(publication, data=None, prefix=None):
    if publication.is_revision:  # a signed correction takes effect at once
        return CommentForm(data, prefix=prefix)
    proposed = publication.publish_at if publication.publish_at and publication.publish_at > timezone.now() else None
    return PublishForm(data, prefix=prefix, initial={"publish_at": proposed})


def _correct_form(publication, data=None, prefix=None):
    # A copy, so a failed correction never changes the object the page shows.
    return CorrectForm(data, prefix=prefix, instance=Publication.objects.get(pk=publication.pk))


def _run_correct(publication, user, form):
    current = Publication.objects.get(pk=publication.pk)
    changes = changed_fields(form.cleaned_data, services.CORRECTABLE_FIELDS, current)
    return services.publication_correct(publication=publication, acting_user=user, comment=form.cleaned_data["comment"],
                                        **changes)


def _run_validity(publication, user, form):
    return services.publication_set_validity(publication=publication, acting_user=user, **form.cleaned_data)


STEPS: dict[str, PublicationStep] = {step.key: step for step in [
    _review("submit", services.publication_submit),
    _review("approve", services.publication_approve),
    _review("clear", services.publication_clear),
    _review("return", services.publication_return),
    PublicationStep("publish", services.STEPS["publish"].label, _publish_form,
                    lambda publication, user, form: services.publication_publish(
                        publication=publication, acting_user=user, comment=form.cleaned_data["comment"],
                        publish_at=form.cleaned_data.get("publish_at")),
                    lambda user, publication: services.can_take(user, publication, "publish")),
    _review("withdraw", services.publication_withdraw),
    PublicationStep("correct", services.STEPS["correct"].label, _correct_form, _run_correct,
                    lambda user, publication: services.can_take(user, publication, "correct")),
    PublicationStep("set_validity", "记录有效性变化", _plain(ValidityForm), _run_validity, services.can_set_validity),
]}


def steps_available(publication: Publication, user) -> list[PublicationStep]:
    return [step for step in STEPS.values() if step.allowed(user, publication)]


# The step an item in each state waits for, and so who is asked to act next.
NEXT_STEP = {State.DRAFT: "submit", State.REVIEW: "approve", State.SECRECY_REVIEW: "clear", State.SIGNING: "publish"}


def four_eyes_refusals(publication: Publication, user) -> list[str]:
    """Why a step the user's role allows is not offered: they wrote or submitted this version."""
    return [refusal for action in services.REVIEW_STEPS if services.role_allows(user, publication, action)
            and (refusal := services.four_eyes_refusal(user, publication, action))]


def waiting_step(publication: Publication):
    action = NEXT_STEP.get(publication.state)
    if action is None:
        return None
    roles = services.STEPS[action].roles
    writers = services.writers_of(publication) if action in services.REVIEW_STEPS else set()
    return waiting_for(services.STEPS[action].label, services.role_labels(roles),
                       services.disclosure_role_holders(publication.agency, roles), writers)


# ---------------------------------------------------------------- views


@staff_login_required
def publication_list(request):
    publications = publications_for_staff(request.user).select_related("agency").order_by("-created_at", "-pk")
    agencies = Agency.objects.filter(pk__in=publications.values("agency")).order_by("full_name")
    chosen = {name: request.GET.get(name, "").strip() for name in ("agency", "state", "genre")}
    if (agency_id := id_from(chosen["agency"])) is not None:
        publications = publications.filter(agency_id=agency_id)
    else:
        chosen["agency"] = ""
    if chosen["state"] in State.values:
        publications = publications.filter(state=chosen["state"])
    else:
        chosen["state"] = ""
    if chosen["genre"] in Genre.values:
        publications = publications.filter(genre=chosen["genre"])
    else:
        chosen["genre"] = ""
    publications, drilldown = publications_drilldown(request, publications)
    page = Paginator(publications, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(p, p.disclosure_due_on(), p.is_late(today)) for p in page.object_list]
    return render(request, "staff/publication_list.html", {
        "page": page, "rows": rows, "chosen": chosen, "agencies": agencies, "states": State.choices,
        "genres": Genre.choices, "today": today, "drilldown": drilldown, "query": urlencode({k: v for k, v in chosen.items() if v}),
        "may_write": writer_agencies(request.user).exists(), "may_import": importer_agencies(request.user).exists(),
    })


def _save_draft(request, form: PublicationForm, publication: Publication | None) -> Publication | None:
    """Create or change the draft and attach its files in one transaction; None (form errors set) on refusal."""
    try:
        with transaction.atomic():
            if publication is None:
                data = form.cleaned_data
                publication = services.publication_create(
                    agency=data["agency"], acting_user=request.user, title=data["title"], genre=data["genre"],
                    article20_item=data["article20_item"], formed_on=data["formed_on"], **form.other_fields())
            else:
                fields = changed_fields(form.cleaned_data, DRAFT_FIELDS, Publication.objects.get(pk=publication.pk))
                if fields:
                    publication = services.publication_update(publication=publication, acting_user=request.user,
                                                              **fields)
            for name, content in form.checked_files:
                services.attachment_add(publication=publication, acting_user=request.user, name=name,
                                        content=content)
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return None
    return publication


@staff_login_required
def publication_new(request):
    if not writer_agencies(request.user).exists():
        raise PermissionDenied("只有承办岗位可以撰写主动公开信息")
    form = PublicationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        publication = _save_draft(request, form, None)
        if publication is not None:
            messages.success(request, f"已保存草稿：{publication.title}（索引号 {publication.index_number}）")
            return redirect("staff:publication_detail", pk=publication.pk)
    return render(request, "staff/publication_form.html", {"form": form, "publication": None})


@staff_login_required
def publication_edit(request, pk: int):
    publication = get_object_or_404(publications_for_staff(request.user).select_related("agency"), pk=pk)
    if not services.can_edit(request.user, publication):
        if request.method == "POST":
            raise PermissionDenied("只有本机构承办岗位可以修改撰写环节的信息")
        messages.error(request, f"「{publication.title}」处于「{publication.get_state_display()}」环节，您不能修改")
        return redirect("staff:publication_detail", pk=pk)
    form = PublicationForm(request.POST or None, request.FILES or None, user=request.user, publication=publication)
    if request.method == "POST" and form.is_valid():
        saved = _save_draft(request, form, publication)
        if saved is not None:
            messages.success(request, "已保存修改")
            return redirect("staff:publication_detail", pk=pk)
    return render(request, "staff/publication_form.html", {"form": form, "publication": publication})


@staff_login_required
def publication_detail(request, pk: int):
    publication = get_object_or_404(
        publications_for_staff(request.user).select_related("agency", "interprets", "revision_of")
        .prefetch_related("events__acting_user", "validity_changes__recorded_by", "attachments"), pk=pk)
    steps = [(step, step.make_form(publication, prefix=step.key)) for step in steps_available(publication, request.user)]
    events = [(event, EVENT_LABELS.get(event.action, event.action), State(event.from_state).label
               if event.from_state in State.values else "", State(event.to_state).label
               if event.to_state in State.values else "") for event in publication.events.all()]
    return render(request, "staff/publication_detail.html", {
        "publication": publication, "steps": steps, "events": events, "due": publication.disclosure_due_on(),
        "late": publication.is_late(), "may_edit": services.can_edit(request.user, publication),
        "interpretations": publication.interpretations.all(),
        "attachments": publication.attachments.defer("content"),
        "refusals": four_eyes_refusals(publication, request.user), "waiting": waiting_step(publication),
        "pending_correction": None if publication.is_revision else services.pending_correction(publication),
    })


@require_POST
@staff_login_required
def publication_step(request, pk: int, step: str):
    """Run one review step; the service checks the role and the state again (PermissionDenied → 403)."""
    publication = get_object_or_404(publications_for_staff(request.user).select_related("agency"), pk=pk)
    if step not in STEPS:
        raise Http404("没有这个操作")
    definition = STEPS[step]
    form = definition.make_form(publication, request.POST, prefix=step)
    if not form.is_valid():
        errors = "；".join(error for field_errors in form.errors.values() for error in field_errors)
        messages.error(request, f"{definition.label}未完成：{errors}")
        return redirect("staff:publication_detail", pk=pk)
    try:
        definition.run(publication, request.user, form)
    except ValidationError as error:
        messages.error(request, f"{definition.label}未完成：{'；'.join(error.messages)}")
    else:
        messages.success(request, f"已完成：{definition.label}")
    return redirect("staff:publication_detail", pk=pk)


@staff_login_required
def attachment_download(request, pk: int):
    """Staff may read the attachments of drafts too (the portal serves published ones only)."""
    attachment = get_object_or_404(Attachment.objects.filter(publication__in=publications_for_staff(request.user)),
                                   pk=pk)
    response = HttpResponse(bytes(attachment.content), content_type=CONTENT_TYPES.get(attachment.kind,
                                                                                        "application/octet-stream"))
    response["Content-Disposition"] = content_disposition_header(True, attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@staff_login_required
def attachment_remove(request, pk: int):
    attachment = get_object_or_404(
        Attachment.objects.defer("content").filter(publication__in=publications_for_staff(request.user)), pk=pk)
    try:
        services.attachment_remove(attachment=attachment, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已删除附件：{attachment.name}")
    return redirect("staff:publication_detail", pk=attachment.publication_id)


# ---------------------------------------------------------------- catalogue import


class ImportForm(forms.Form):
    agency = forms.ModelChoiceField(label="导入到机构", queryset=Agency.objects.none(), empty_label=None)
    catalogue = forms.FileField(label="目录文件（CSV：UTF-8 或 GBK；或 XLSX）",
                                error_messages={"required": "请选择目录文件"})
    attachments_zip = forms.FileField(label="附件压缩包（ZIP，可选；「附件」列写的文件名在其中查找）", required=False)
    already_published = forms.BooleanField(
        label="作为已发布的历史信息导入（不经审核、保密审查和签发，直接公开；仅机构管理员可选，导入人和文件会被记录）",
        required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = importer_agencies(user)
        self.history_agencies = _agencies_with_role(user, HISTORY_IMPORT_ROLES)
        if not self.history_agencies.exists():
            del self.fields["already_published"]

    def clean(self):
        cleaned = super().clean()
        agency = cleaned.get("agency")
        if cleaned.get("already_published") and agency is not None and agency not in self.history_agencies:
            self.add_error("already_published", f"只有「{agency}」的机构管理员可以导入已发布的历史信息")
        return cleaned


@staff_login_required
def catalogue_import_page(request):
    if not importer_agencies(request.user).exists():
        raise PermissionDenied("只有机构管理员或签发岗位可以导入公开目录")
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    row_errors, row_errors_more = [], 0
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["catalogue"]
        archive = form.cleaned_data["attachments_zip"]
        try:
            attachments = AttachmentZip(archive.read()) if archive else None
            already_published = bool(form.cleaned_data.get("already_published"))
            result = catalogue_import(agency=form.cleaned_data["agency"], data=upload.read(), acting_user=request.user,
                                      source=upload.name, attachments=attachments,
                                      already_published=already_published)
        except CatalogueUnreadable as error:
            form.add_error(None, f"无法读取「{upload.name}」：{error}")
        except CatalogueHasErrors as error:
            row_errors, row_errors_more = row_errors_first(error.errors)
            form.add_error(None, f"「{upload.name}」有 {len(error.errors)} 处错误，未导入任何信息；请改正后重新上传")
        else:
            messages.success(request, f"{form.cleaned_data['agency']}：{result}")
            state = State.PUBLISHED if already_published else State.REVIEW
            return redirect(f"/staff/publications/?agency={form.cleaned_data['agency'].pk}&state={state}")
    return render(request, "staff/publication_import.html", {"form": form, "row_errors": row_errors,
                                                              "row_errors_more": row_errors_more})

