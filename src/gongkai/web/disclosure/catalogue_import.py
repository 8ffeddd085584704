"""Import an agency's existing disclosure catalogue (CSV or XLSX, attachments from a folder or a ZIP).

Imported items go to 审核 with one 导入 event naming who imported them (the importer wrote
them, so four eyes hold: somebody else approves, clears and signs), and keep their 索引号
when the file gives one.  Only an agency admin may choose to import them as already-published
history instead (``already_published``): then they are stored as 已发布 with their dates,
the 导入 event says so, and they enter the search index at once.  Every bad row is
reported (row, column, value, reason in Chinese); a file with any bad row imports nothing.
Files are read by ``gongkai.sheets`` (the ledger's encoding rules); dates take the ledger's forms.
"""

from __future__ import annotations

import contextlib
import io
import logging
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path, PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai import archives
from gongkai.errors import GongkaiError
from gongkai.ledger.errors import RowError
from gongkai.ledger.values import BadValue, parse_date
from gongkai.sheets import UnreadableSheet, header_positions, sheet_rows
from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.registers.services import regulatory_document_sync

from .attachments import attachment_check, max_attachment_bytes
from .models import (
    GENRES_WITH_VALIDITY,
    Article20Item,
    Attachment,
    CatalogueDomain,
    Genre,
    Publication,
    PublicationEvent,
    Validity,
    ValidityChange,
)
from .search import search_document, search_index
from .services import index_number_allocate, require_role

State = Publication.State

IMPORT_ROLES = (Membership.Role.AGENCY_ADMIN, Membership.Role.SIGNER)
# Importing as already published skips review altogether: the agency admin's decision alone, logged.
HISTORY_IMPORT_ROLES = (Membership.Role.AGENCY_ADMIN,)
log = logging.getLogger(__name__)
ATTACHMENT_SEPARATORS = (";", "；")
HEADER_SEARCH_ROWS = 10  # a title row or two may stand above the header
ATTACHMENT_NAME_MAX = Attachment._meta.get_field("name").max_length
# The 第二十条 item a genre always falls under, used when the row leaves it empty.
ARTICLE20_BY_GENRE = {
    Genre.RULE: Article20Item.REGULATIONS,
    Genre.NORMATIVE_DOCUMENT: Article20Item.REGULATIONS,
    Genre.BUDGET: Article20Item.BUDGETS,
    Genre.PROCUREMENT: Article20Item.PROCUREMENT,
}


@dataclass(frozen=True)
class CatalogueColumn:
    key: str
    header: str  # the Chinese header
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMN_LIST = (
    CatalogueColumn("index_number", "索引号", ("index",)),
    CatalogueColumn("title", "标题", (), required=True),
    CatalogueColumn("doc_number", "文号", ("document_number",)),
    CatalogueColumn("written_on", "成文日期", ("written",)),
    CatalogueColumn("published_on", "发布日期", ("published", "publish_date"), required=True),
    CatalogueColumn("formed_on", "形成日期", ("形成或者变更日期", "formed")),
    CatalogueColumn("topic", "主题分类", ()),
    CatalogueColumn("column", "专栏", ()),
    CatalogueColumn("genre", "体裁", ("category",), required=True),
    CatalogueColumn("article20_item", "第二十条事项", ("条例第二十条事项", "article20")),
    CatalogueColumn("catalogue_domain", "标准目录领域", ("领域", "domain")),
    CatalogueColumn("catalogue_matter", "标准目录事项", ("matter",)),
    CatalogueColumn("validity", "有效性", ()),
    CatalogueColumn("validity_changed_on", "有效性变化日期", ("validity_date",)),
    CatalogueColumn("body", "正文", ("text",)),
    CatalogueColumn("attachments", "附件", ("files",)),
)
COLUMNS = {column.key: column for column in COLUMN_LIST}
REQUIRED_KEYS = tuple(column.key for column in COLUMN_LIST if column.required)


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).lower()


_BY_HEADER = {_fold(name): column.key for column in COLUMN_LIST
              for name in (column.key, column.header, *column.aliases)}


def column_for_header(header: str) -> str | None:
    return _BY_HEADER.get(_fold(header))


# ---------------------------------------------------------------- errors


class CatalogueUnreadable(GongkaiError):
    """The file is not a catalogue table at all (format, encoding, missing columns): exit code 2."""


class CatalogueHasErrors(GongkaiError):
    """Rows with errors; nothing was imported. ``errors`` lists every one, in file order."""

    exit_code = 1

    def __init__(self, errors: list[RowError]):
        self.errors = sorted(errors, key=RowError.sort_key)
        super().__init__(f"目录有 {len(self.errors)} 处错误，未导入任何信息；第一处：{self.errors[0]}")


# ---------------------------------------------------------------- reading


@dataclass
class RawCatalogue:
    headers: list[str]
    fields: dict[str, int]  # column key -> position in headers
    rows: list[tuple[int, list[str | None]]]  # (spreadsheet row number, cells)
    errors: list[RowError] = field(default_factory=list)

    def header(self, key: str) -> str:
        position = self.fields.get(key)
        return self.headers[position] if position is not None else COLUMNS[key].header

    def position(self, key: str) -> int:
        return self.fields.get(key, len(self.headers))

    def cell(self, cells: list[str | None], key: str) -> str:
        position = self.fields.get(key)
        if position is None or position >= len(cells):
            return ""
        return (cells[position] or "").strip()


def _header_fields(headers: list[str]) -> dict[str, int]:
    try:
        return header_positions(headers, column_for_header, lambda key: COLUMNS[key].header)
    except UnreadableSheet as error:
        raise CatalogueUnreadable(error.message) from None


def _find_header(records: list[list[str | None]]) -> int:
    for index, record in enumerate(records[:HEADER_SEARCH_ROWS]):
        keys = {column_for_header(cell or "") for cell in record}
        if all(key in keys for key in REQUIRED_KEYS):
            return index
    first = next((r for r in records if any((c or "").strip() for c in r)), [])
    found = {column_for_header(cell or "") for cell in first}
    missing = "、".join(f"{COLUMNS[k].header}（{k}）" for k in REQUIRED_KEYS if k not in found)
    raise CatalogueUnreadable(f"找不到目录表头：缺少必需的列 {missing}")


def _records_to_catalogue(records: list[tuple[int, list[str | None]]]) -> RawCatalogue:
    header_index = _find_header([cells for _, cells in records])
    headers = [(cell or "").strip() for cell in records[header_index][1]]
    while headers and not headers[-1]:
        headers.pop()
    fields = _header_fields(headers)
    width = len(headers)
    rows, errors = [], []
    for number, cells in records[header_index + 1:]:
        if not any((cell or "").strip() for cell in cells):
            continue
        extra = [cell for cell in cells[width:] if (cell or "").strip()]
        if extra:
            errors.append(RowError(number, f"第 {width + 1} 列", extra[0],
                                   f"这一行在表头之外还有内容（表头只有 {width} 列）", "row.too_wide", width))
        rows.append((number, list(cells[:width])))
    return RawCatalogue(headers, fields, rows, errors)


def read_catalogue(data: bytes) -> RawCatalogue:
    """A catalogue file's rows as text, numbered as a spreadsheet shows them (the header row too).

    In a workbook, the first sheet with a catalogue header is read.
    """
    try:
        sheets = sheet_rows(data)
    except UnreadableSheet as error:
        raise CatalogueUnreadable(error.message) from None
    for sheet in sheets[:-1]:
        try:
            return _records_to_catalogue(sheet)
        except CatalogueUnreadable:
            continue
    return _records_to_catalogue(sheets[-1])


# ---------------------------------------------------------------- attachments


class AttachmentSource:
    """Where the files named in the 附件 column are found."""

    def size(self, name: str) -> int | None:  # None: no such file
        raise NotImplementedError

    def read(self, name: str) -> bytes:
        """The file's bytes; a ValidationError naming it when it cannot be read."""
        raise NotImplementedError


class AttachmentFolder(AttachmentSource):
    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise CatalogueUnreadable(f"附件文件夹「{folder}」不存在")

    def _path(self, name: str) -> Path:
        return self.folder / name

    def size(self, name: str) -> int | None:
        path = self._path(name)
        return path.stat().st_size if path.is_file() else None

    def read(self, name: str) -> bytes:
        try:
            return self._path(name).read_bytes()
        except OSError as error:
            raise ValidationError(f"附件「{name}」无法读取（{error.strerror or error}）") from None


class AttachmentZip(AttachmentSource):
    """A ZIP of attachments; files are found by their name, in whatever folder of the archive."""

    def __init__(self, data: bytes):
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
        except archives.OPEN_ERRORS:
            raise CatalogueUnreadable("附件压缩包无法打开：不是 ZIP 文件，或文件已损坏") from None
        try:
            archives.uncompressed_size_check(self.archive, "附件压缩包")
        except archives.ArchiveTooLarge as error:
            raise CatalogueUnreadable(error.message) from None
        self.entries = {}
        for info in self.archive.infolist():
            if not info.is_dir():
                # Archives made on Chinese Windows store GBK names without the UTF-8 flag.
                name = info.filename
                if not info.flag_bits & 0x800:
                    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
                        name = name.encode("cp437").decode("gb18030")
                self.entries.setdefault(PurePath(name.replace("\\", "/")).name, info)

    def size(self, name: str) -> int | None:
        info = self.entries.get(name)
        return info.file_size if info else None

    def read(self, name: str) -> bytes:
        try:
            return self.archive.read(self.entries[name])
        except archives.READ_ERRORS:
            raise ValidationError(f"附件「{name}」在压缩包中已损坏或加密，无法解压") from None


# ---------------------------------------------------------------- values


def _choice(text: str, choices, aliases: dict[str, str] | None = None):
    """The key of a choice written as its key or its label (spaces and full-width forms folded)."""
    folded = _fold(text)
    for key, label in choices:
        if folded in (_fold(str(key)), _fold(label)):
            return key
    return (aliases or {}).get(folded)


def _choice_help(choices) -> str:
    return "、".join(label for _, label in choices)


GENRE_ALIASES = {_fold("规范性文件"): Genre.NORMATIVE_DOCUMENT, _fold("解读"): Genre.INTERPRETATION}
CHINESE_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
                    "十一", "十二", "十三", "十四", "十五"]
ARTICLE20_ALIASES = {}
for _value, _numeral in zip(Article20Item.values, CHINESE_NUMERALS, strict=True):
    for _form in (_numeral, f"({_numeral})", f"（{_numeral}）", f"第{_numeral}项", Article20Item(_value).name):
        ARTICLE20_ALIASES[_fold(_form)] = _value


def parse_article20(text: str) -> int:
    value = _choice(text, Article20Item.choices, ARTICLE20_ALIASES)
    if value is None:
        raise BadValue("无法识别的第二十条事项，应写作 1–15、（一）–（十五）或条文原文", "article20.unknown")
    return value


def parse_genre(text: str) -> str:
    value = _choice(text, Genre.choices, GENRE_ALIASES)
    if value is None:
        raise BadValue(f"无法识别的体裁，应为 {_choice_help(Genre.choices)} 之一（或对应的英文键）", "genre.unknown")
    return value


def parse_domain(text: str) -> str:
    value = _choice(text, CatalogueDomain.choices)
    if value is None:
        raise BadValue(f"无法识别的标准目录领域，应为 {_choice_help(CatalogueDomain.choices)} 之一（或对应的英文键）",
                       "domain.unknown")
    return value


def parse_validity(text: str) -> str:
    value = _choice(text, Validity.choices)
    if value is None:
        raise BadValue(f"无法识别的有效性，应为 {_choice_help(Validity.choices)} 之一（或对应的英文键）", "validity.unknown")
    return value


def attachment_names(text: str) -> list[str]:
    for separator in ATTACHMENT_SEPARATORS[1:]:
        text = text.replace(separator, ATTACHMENT_SEPARATORS[0])
    return [name.strip() for name in text.split(ATTACHMENT_SEPARATORS[0]) if name.strip()]


# ---------------------------------------------------------------- import


@dataclass
class PlannedRow:
    row: int
    publication: Publication
    index_given: bool
    validity_changed_on: date | None
    files: list[tuple[str, str, bytes]]  # (name, kind, content)


@dataclass
class ImportResult:
    publications: list[Publication]
    attachments: int
    already_published: bool = False

    def __str__(self) -> str:
        how = "作为已发布的历史信息" if self.already_published else "，均在「审核」环节等待审核、保密审查和签发"
        if self.already_published:
            return f"已{how}导入 {len(self.publications)} 条信息、{self.attachments} 个附件"
        return f"已导入 {len(self.publications)} 条信息、{self.attachments} 个附件{how}"


class _Rows:
    def __init__(self, raw: RawCatalogue):
        self.raw = raw
        self.errors: list[RowError] = list(raw.errors)

    def add(self, row: int, key: str, value: str, message: str, rule: str) -> None:
        self.errors.append(RowError(row, self.raw.header(key), value, message, rule, self.raw.position(key)))


# Model fields whose name is not a column key: the column a validation error on them belongs to.
FIELD_COLUMNS = {"publish_at": "published_on"}


def _plan_row(raw: RawCatalogue, row: int, cells, agency: Agency, attachments: AttachmentSource | None,
              errors: _Rows, today: date) -> PlannedRow | None:
    count = len(errors.errors)
    cell = lambda key: raw.cell(cells, key)  # noqa: E731

    def parsed(key, parse):
        text = cell(key)
        if not text:
            return None
        try:
            return parse(text)
        except BadValue as error:
            errors.add(row, key, text, error.message, error.rule)
            return None

    title = cell("title")
    if not title:
        errors.add(row, "title", "", "标题为空", "required.title")
    published_on = parsed("published_on", parse_date)
    if not cell("published_on"):
        errors.add(row, "published_on", "", "发布日期为空（导入的是已发布的信息）", "required.published_on")
    elif published_on and published_on > today:
        errors.add(row, "published_on", cell("published_on"), "发布日期晚于今天：导入的只能是已发布的信息",
                   "published_on.future")
    written_on = parsed("written_on", parse_date)
    formed_on = parsed("formed_on", parse_date)
    genre = parsed("genre", parse_genre)
    if not cell("genre"):
        errors.add(row, "genre", "", "体裁为空", "required.genre")
    article20 = parsed("article20_item", parse_article20)
    if article20 is None and not cell("article20_item") and genre:
        article20 = ARTICLE20_BY_GENRE.get(genre)
        if article20 is None:
            errors.add(row, "article20_item", "", f"第二十条事项为空（体裁「{Genre(genre).label}」须写明）",
                       "required.article20_item")
    domain = parsed("catalogue_domain", parse_domain) or ""
    validity = parsed("validity", parse_validity) or ""
    validity_changed_on = parsed("validity_changed_on", parse_date)
    if genre and validity and genre not in GENRES_WITH_VALIDITY:
        errors.add(row, "validity", cell("validity"), "只有规章和行政规范性文件标注有效性", "validity.genre")
    if genre in GENRES_WITH_VALIDITY and not validity:
        validity = Validity.IN_FORCE
    if validity_changed_on and validity == Validity.IN_FORCE:
        errors.add(row, "validity_changed_on", cell("validity_changed_on"), "有效性为「有效」时不填变化日期",
                   "validity_date.in_force")
    if validity_changed_on and published_on and validity_changed_on < published_on:
        errors.add(row, "validity_changed_on", cell("validity_changed_on"), "有效性变化日期早于发布日期",
                   "validity_date.order")
    if written_on and published_on and published_on < written_on:
        errors.add(row, "published_on", cell("published_on"), f"发布日期早于成文日期（{written_on}）",
                   "published_on.order")

    files = []
    for name in attachment_names(cell("attachments")):
        if PurePath(name).name != name or name in (".", ".."):
            errors.add(row, "attachments", name, f"附件「{name}」只能写文件名，不能带路径", "attachment.path")
            continue
        if len(name) > ATTACHMENT_NAME_MAX:
            errors.add(row, "attachments", name, f"附件文件名超过 {ATTACHMENT_NAME_MAX} 个字符", "attachment.name")
            continue
        size = attachments.size(name) if attachments is not None else None
        if size is None:
            where = "附件文件夹或压缩包中" if attachments is not None else "（没有提供附件文件夹或压缩包）"
            errors.add(row, "attachments", name, f"找不到附件「{name}」{where}", "attachment.missing")
            continue
        if size > max_attachment_bytes():
            limit = max_attachment_bytes()
            errors.add(row, "attachments", name,
                       f"附件「{name}」有 {size / 1048576:.1f} MB，超过上限 {limit / 1048576:.0f} MB", "attachment.size")
            continue
        try:
            content = attachments.read(name)
        except ValidationError as error:
            errors.add(row, "attachments", name, "；".join(error.messages), "attachment.unreadable")
            continue
        try:
            files.append((name, attachment_check(name=name, content=content), content))
        except ValidationError as error:
            errors.add(row, "attachments", name, "；".join(error.messages), "attachment.kind")

    if len(errors.errors) > count:
        return None
    publication = Publication(
        agency=agency, index_number=cell("index_number"), title=title, doc_number=cell("doc_number"),
        written_on=written_on, formed_on=formed_on or written_on or published_on, published_on=published_on,
        publish_at=timezone.make_aware(datetime.combine(published_on, time.min)), topic=cell("topic"),
        column=cell("column"), genre=genre, article20_item=article20, catalogue_domain=domain,
        catalogue_matter=cell("catalogue_matter"), validity=validity, body=cell("body"),
        state=Publication.State.PUBLISHED,
    )
    try:
        publication.full_clean(exclude=["index_number"] if not publication.index_number else None,
                               validate_unique=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            key = FIELD_COLUMNS.get(name, name if name in COLUMNS else "title")
            errors.add(row, key, cell(key), "；".join(messages), f"field.{name}")
        return None
    return PlannedRow(row, publication, bool(publication.index_number), validity_changed_on, files)


def catalogue_check(*, agency: Agency, data: bytes, attachments: AttachmentSource | None = None,
                    today: date | None = None) -> list[PlannedRow]:
    """Every row checked; ``CatalogueHasErrors`` lists the bad ones. Nothing is written."""
    raw = read_catalogue(data)
    errors = _Rows(raw)
    today = today or timezone.localdate()
    planned, first_row_of = [], {}
    for row, cells in raw.rows:
        plan = _plan_row(raw, row, cells, agency, attachments, errors, today)
        index_number = raw.cell(cells, "index_number")
        if index_number:
            if index_number in first_row_of:
                errors.add(row, "index_number", index_number,
                           f"索引号与第 {first_row_of[index_number]} 行重复", "index_number.duplicate")
                plan = None
            else:
                first_row_of[index_number] = row
        if plan is not None:
            planned.append(plan)
    if first_row_of:
        stored = set(Publication.objects.filter(index_number__in=list(first_row_of)).values_list("index_number",
                                                                                                 flat=True))
        for index_number in sorted(stored, key=first_row_of.get):
            errors.add(first_row_of[index_number], "index_number", index_number, "索引号已存在（已经导入或发布过）",
                       "index_number.stored")
    _check_already_stored(agency, planned, errors)
    if not raw.rows:
        raise CatalogueUnreadable("文件只有表头，没有信息")
    if errors.errors:
        raise CatalogueHasErrors(errors.errors)
    return planned


def _check_already_stored(agency: Agency, planned: list[PlannedRow], errors: _Rows) -> None:
    """A row without 索引号 that matches a stored item (标题, 文号, 发布日期) is a second import of it."""
    titles = {plan.publication.title for plan in planned if not plan.index_given}
    if not titles:
        return
    stored = {(p.title, p.doc_number, p.published_on): p.index_number
              for p in Publication.objects.filter(agency=agency, title__in=titles).only(
                  "title", "doc_number", "published_on", "index_number")}
    for plan in planned:
        p = plan.publication
        index_number = stored.get((p.title, p.doc_number, p.published_on))
        if not plan.index_given and index_number:
            errors.add(plan.row, "title", p.title,
                       f"已有标题、文号和发布日期都相同的信息（索引号 {index_number}），可能已经导入过", "row.stored")


def catalogue_import(*, agency: Agency, data: bytes, acting_user=None, source: str = "",
                     attachments: AttachmentSource | None = None, already_published: bool = False) -> ImportResult:
    """Import a whole catalogue file, or nothing.

    The items wait for 审核 unless ``already_published``, which only the agency's 机构管理员
    may choose (on the command line too: ``acting_user`` names them).  ``acting_user`` None
    is the command line importing for review.
    """
    if already_published:
        if acting_user is None:
            raise PermissionDenied("导入已发布的历史信息须由本机构的机构管理员操作（命令行请用 --by 指定其用户名）")
        require_role(acting_user, agency, HISTORY_IMPORT_ROLES)
    elif acting_user is not None:
        require_role(acting_user, agency, IMPORT_ROLES)
    planned = catalogue_check(agency=agency, data=data, attachments=attachments)
    by = acting_user.get_username() if acting_user is not None else "命令行"
    with transaction.atomic():
        given = {plan.publication.index_number for plan in planned if plan.index_given}
        created, attachment_count = [], 0
        for plan in planned:
            publication = plan.publication
            if not plan.index_given:
                publication.index_number = _free_index_number(agency, publication.published_on.year, given)
            stated = {"published_on": publication.published_on.isoformat(),
                      "validity_changed_on": plan.validity_changed_on.isoformat() if plan.validity_changed_on else None}
            if not already_published:  # released when signed, like any draft (the file's 发布日期 kept until then)
                publication.state, publication.publish_at = State.REVIEW, None
            publication.save()
            PublicationEvent.objects.create(
                publication=publication, action="import", from_state="", to_state=publication.state,
                acting_user=acting_user,
                comment=f"导入已发布的历史信息（{by}）" if already_published else f"导入，待审核（{by}）",
                data={"source": source, "row": plan.row, "imported_by": by, "already_published": already_published,
                      "in_file": stated})
            if not already_published:
                for name, kind, content in plan.files:
                    Attachment.objects.create(publication=publication, name=name, kind=kind, size=len(content),
                                              content=content)
                    attachment_count += 1
                created.append(publication)
                continue
            if publication.validity:
                _record_validity(publication, plan.validity_changed_on, acting_user)
            try:
                regulatory_document_sync(publication)  # table 二 counts imported 规章/规范性文件 too
            except ValidationError as error:
                raise CatalogueHasErrors([RowError(plan.row, "有效性变化日期", "", "；".join(error.messages),
                                                   "register.refused")]) from None
            for name, kind, content in plan.files:
                Attachment.objects.create(publication=publication, name=name, kind=kind, size=len(content),
                                          content=content)
                attachment_count += 1
            created.append(publication)
        if already_published:
            ids = [publication.pk for publication in created]
            transaction.on_commit(lambda: _index_imported(ids))
            log.info("catalogue import of already-published history: %s items into %s by %s from %s",
                     len(created), agency, by, source)
    return ImportResult(created, attachment_count, already_published)


def _free_index_number(agency: Agency, year: int, taken: set[str]) -> str:
    """The agency's next 索引号 that neither the file nor the database already uses."""
    while True:
        number = index_number_allocate(agency=agency, year=year)
        if number not in taken and not Publication.objects.filter(index_number=number).exists():
            taken.add(number)
            return number


def _record_validity(publication: Publication, changed_on: date | None, acting_user) -> None:
    """The dated 有效性 history, as far as the file tells it (an unknown repeal date is not invented)."""
    if publication.validity == Validity.IN_FORCE or changed_on is not None:
        ValidityChange.objects.create(publication=publication, validity=Validity.IN_FORCE,
                                      effective_on=publication.published_on, note="导入",
                                      recorded_by=acting_user)
    if publication.validity != Validity.IN_FORCE and changed_on is not None:
        ValidityChange.objects.create(publication=publication, validity=publication.validity,
                                      effective_on=changed_on, note="导入", recorded_by=acting_user)


def _index_imported(ids: list[int]) -> None:
    """Add the imported items to the search index in one pass, as ``search_sync`` does one by one."""
    publications = [p for p in Publication.objects.select_related("agency").filter(pk__in=ids) if p.is_visible()]
    with search_index() as index:
        for publication in publications:
            index.add(search_document(publication))
    Publication.objects.filter(pk__in=[p.pk for p in publications]).update(in_search_index=True)

