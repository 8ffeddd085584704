"""The public portal (政府信息公开专栏): no login, and every read goes through ``publications_public``."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.safestring import mark_safe

from gongkai.web.agencies.models import Agency
from gongkai.web.annual.downloads import DOWNLOAD_FORMATS, record_file
from gongkai.web.disclosure.attachments import CONTENT_TYPES
from gongkai.web.disclosure.models import (
    AgencyDisclosure,
    Article20Item,
    Attachment,
    CatalogueDomain,
    Genre,
)
from gongkai.web.disclosure.search import search_index, search_sync_due
from gongkai.web.disclosure.selectors import publications_public
from gongkai.web.query import id_from

from .selectors import annual_report_years, annual_reports_public
from .text import TextBlock, text_blocks

PER_PAGE = 20
LATEST_ON_LANDING = 10


def _agency_or_404(agency_id: int) -> Agency:
    return get_object_or_404(Agency, pk=agency_id)


def portal_index(request):
    """The site's landing page (``/`` and ``/portal/``): every agency's 专栏 and 申请 entrance, search,
    the latest items of all agencies and the site-wide feeds."""
    agencies = Agency.objects.annotate(
        published=Count("publications", filter=_public_q())).order_by("full_name")
    latest = publications_public().select_related("agency").order_by("-publish_at", "-pk")[:LATEST_ON_LANDING]
    from gongkai.web.explorer.access import corpus_public

    return render(request, "portal/index.html", {"agencies": agencies, "latest": latest,
                                                 "corpus_public": corpus_public()})


def _public_q():
    from django.db.models import Q
    return Q(publications__pk__in=publications_public().values("pk"))


def agency_home(request, agency_id: int):
    """The agency's 政府信息公开专栏: entrances to guide, rules, catalogue, annual reports, search and 申请."""
    agency = _agency_or_404(agency_id)
    public = publications_public().filter(agency=agency)
    disclosure = AgencyDisclosure.objects.filter(agency=agency).first()
    context = {
        "agency": agency, "section": "home",
        "guide_intro": _intro(disclosure.guide if disclosure else "", "指南"),
        "rules_intro": _intro(disclosure.rules if disclosure else "", "制度"),
        "annual_years": annual_report_years(agency)[:3],
        "latest": public.order_by("-publish_at", "-pk")[:10],
        "items": _counts(public, "article20_item", Article20Item),
        "domains": _counts(public.exclude(catalogue_domain=""), "catalogue_domain", CatalogueDomain),
        "columns": list(public.exclude(column="").values_list("column", flat=True).distinct().order_by("column")),
    }
    return render(request, "portal/agency_home.html", context)


def _intro(text: str, title_ending: str) -> list[TextBlock]:
    """The first paragraph of a guide or rules text, skipping a title line such as “某局政府信息公开指南”."""
    paragraphs = [block for block in text_blocks(text) if block.kind == "paragraph"]
    if len(paragraphs) > 1 and paragraphs[0].text.endswith(title_ending):
        paragraphs = paragraphs[1:]
    return paragraphs[:1]


DISCLOSURE_TEXTS = {"guide": "政府信息公开指南", "rules": "政府信息公开制度"}


def disclosure_text(request, agency_id: int, which: str):
    """公开指南 or 公开制度: stored as plain text, shown as escaped headings and paragraphs."""
    agency = _agency_or_404(agency_id)
    disclosure = AgencyDisclosure.objects.filter(agency=agency).first()
    return render(request, "portal/disclosure_text.html", {
        "agency": agency, "section": which, "heading": DISCLOSURE_TEXTS[which],
        "blocks": text_blocks(getattr(disclosure, which, "") if disclosure else ""),
    })


def annual_list(request, agency_id: int):
    agency = _agency_or_404(agency_id)
    return render(request, "portal/annual_list.html", {"agency": agency, "section": "annual",
                                                       "years": annual_report_years(agency), "formats": _formats()})


_ARTICLE = re.compile(r"<article\b.*</article>", re.S)
_TABLE = re.compile(r"(<table\b.*?</table>)", re.S)


def _report_markup(record) -> str:
    """The HTML writer's <article> (the official layout), each table in a keyboard-scrollable box."""
    document = record_file(record, "html").content.decode("utf-8")
    article = _ARTICLE.search(document).group(0)
    return _TABLE.sub(r'<div class="grid-scroll" tabindex="0" role="region" aria-label="表格（可左右滚动）">\1</div>',
                      article)


def _published_record(agency: Agency, year: int, version: int | None):
    records = annual_reports_public().filter(agency=agency, year=year).select_related("agency")
    if version is not None:
        records = records.filter(version=version)
    record = records.order_by("-version").first()
    if record is None:
        raise Http404("没有这一年度已发布的年度报告")
    return record


def annual_report(request, agency_id: int, year: int, version: int | None = None):
    """A published annual report in the portal layout; the latest published version unless one is named."""
    agency = _agency_or_404(agency_id)
    record = _published_record(agency, year, version)
    versions = list(annual_reports_public().filter(agency=agency, year=year).order_by("-version"))
    return render(request, "portal/annual_report.html", {
        "agency": agency, "section": "annual", "record": record,
        # The writer escapes every string of the report (jinja2 autoescape), so its markup is safe to embed.
        "markup": mark_safe(_report_markup(record)),
        "is_latest": record.pk == versions[0].pk, "versions": versions,
        "formats": _formats(),
    })


FORMAT_LABELS = {"docx": "Word（DOCX）", "pdf": "PDF", "html": "网页（HTML）", "json": "数据（JSON）"}


def _formats() -> list[tuple[str, str]]:
    return [(fmt, FORMAT_LABELS[fmt]) for fmt in ("pdf", "docx", "html", "json") if fmt in DOWNLOAD_FORMATS]


def annual_download(request, agency_id: int, year: int, version: int, fmt: str):
    agency = _agency_or_404(agency_id)
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404("不支持的下载格式")
    report_file = record_file(_published_record(agency, year, version), fmt)
    response = HttpResponse(report_file.content, content_type=report_file.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(report_file.filename)}"
    return response


def _counts(queryset, field: str, choices) -> list[tuple[str, str, int]]:
    counts = dict(queryset.values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
    return [(value, label, counts[value]) for value, label in choices.choices if counts.get(value)]


def catalogue(request, agency_id: int):
    """Browse one agency's published items by 第二十条 item, topic column, catalogue domain or 体裁."""
    agency = _agency_or_404(agency_id)
    queryset = publications_public().filter(agency=agency)
    selected = {}
    item = id_from(request.GET.get("item"))
    if item in Article20Item.values:
        queryset = queryset.filter(article20_item=item)
        selected["item"] = Article20Item(item).label
    domain = request.GET.get("domain", "")
    if domain in CatalogueDomain.values:
        queryset = queryset.filter(catalogue_domain=domain)
        selected["domain"] = CatalogueDomain(domain).label
    column = request.GET.get("column", "").strip()
    if column:
        queryset = queryset.filter(column=column)
        selected["column"] = column
    genre = request.GET.get("genre", "")
    if genre in Genre.values:
        queryset = queryset.filter(genre=genre)
        selected["genre"] = Genre(genre).label
    page = Paginator(queryset.order_by("-publish_at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    query = {k: v for k, v in (("item", item), ("domain", domain), ("column", column), ("genre", genre)) if v}
    return render(request, "portal/catalogue.html", {
        "agency": agency, "section": "catalogue", "page": page, "selected": selected, "query": urlencode(query),
        "items": Article20Item.choices, "domains": CatalogueDomain.choices, "genres": Genre.choices,
    })


def publication_detail(request, pk: int):
    publication = get_object_or_404(publications_public().select_related("agency"), pk=pk)
    public = publications_public()
    context = {
        "p": publication, "agency": publication.agency,
        "policy": public.filter(pk=publication.interprets_id).first() if publication.interprets_id else None,
        "interpretations": public.filter(interprets=publication),
        "attachments": publication.attachments.only("pk", "name", "kind", "size"),
        "validity_changes": publication.validity_changes.all(),
    }
    return render(request, "portal/publication.html", context)


def attachment_download(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.filter(publication__in=publications_public()), pk=pk)
    response = HttpResponse(bytes(attachment.content), content_type=CONTENT_TYPES[attachment.kind])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(attachment.name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote
    return quote(name)


def search(request):
    """/search/?q=: jieba-segmented full-text search over the visible publications."""
    q = request.GET.get("q", "").strip()[:100]
    filters = {name: request.GET.get(name, "").strip() for name in ("agency", "year", "category")}
    if filters["agency"] and id_from(filters["agency"]) is None:
        filters["agency"] = "-"  # matches nothing, as an unknown agency should
    result, hits = None, []
    if q:
        search_sync_due()  # scheduled items whose time has come enter the index now
        with search_index() as index:
            result = index.search(q, filters=filters, page=request.GET.get("page", 1), per_page=PER_PAGE)
        # Second gate: a hit is shown only if the database says it is public right now.
        visible = {p.pk: p for p in publications_public().select_related("agency")
                   .filter(pk__in=[hit.id for hit in result.hits])}
        hits = [(hit, visible[hit.id]) for hit in result.hits if hit.id in visible]
    years = sorted({d.year for d in publications_public().dates("published_on", "year")}, reverse=True)
    base_query = urlencode({"q": q, **{k: v for k, v in filters.items() if v}})
    return render(request, "portal/search.html", {
        "q": q, "filters": filters, "result": result, "hits": hits, "base_query": base_query,
        "agencies": Agency.objects.order_by("full_name"), "years": years, "genres": Genre.choices,
    })


class PublicationFeed(Feed):
    """What every feed of published items shares: an item's title, text, date and stable id."""

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return escape(item.body[:300])

    def item_pubdate(self, item):
        return item.publish_at

    def item_guid(self, item):
        return item.index_number

    item_guid_is_permalink = False


class SiteFeed(PublicationFeed):
    """RSS 2.0 of the latest published items of every agency (linked from the landing page's <head>)."""

    title = "政府信息公开专栏 · 最新公开"
    link = "/"
    description = "各机构主动公开的政府信息"

    def items(self):
        return publications_public().select_related("agency").order_by("-publish_at", "-pk")[:50]

    def item_title(self, item):
        return f"{item.title}（{item.agency.full_name}）"


class SiteAtomFeed(SiteFeed):
    feed_type = Atom1Feed
    subtitle = SiteFeed.description


class AgencyFeed(PublicationFeed):
    """RSS 2.0 of an agency's latest published items (optionally one 专栏: ?column=)."""

    def get_object(self, request, agency_id: int):
        self.column = request.GET.get("column", "").strip()
        return _agency_or_404(agency_id)

    def title(self, agency):
        return f"{agency.full_name} 政府信息公开" + (f" · {self.column}" if self.column else "")

    def link(self, agency):
        return f"/portal/{agency.pk}/"

    def description(self, agency):
        return f"{agency.full_name}主动公开的政府信息"

    def items(self, agency):
        queryset = publications_public().filter(agency=agency)
        if self.column:
            queryset = queryset.filter(column=self.column)
        return queryset.order_by("-publish_at", "-pk")[:50]


class AgencyAtomFeed(AgencyFeed):
    feed_type = Atom1Feed
    subtitle = AgencyFeed.description


FAVICON = "gongkai/favicon.svg"


def favicon(request):
    """/favicon.ico, which browsers ask for on every page that names no icon (the admin, the API docs)."""
    from django.contrib.staticfiles import finders

    path = finders.find(FAVICON)
    with open(path, "rb") as file:
        response = HttpResponse(file.read(), content_type="image/svg+xml")
    response["Cache-Control"] = "max-age=86400"
    return response


def sitemap(request):
    absolute = request.build_absolute_uri
    urls = [(absolute("/portal/"), None), (absolute("/search/"), None)]
    for pk in Agency.objects.order_by("pk").values_list("pk", flat=True):
        urls += [(absolute(f"/portal/{pk}/{page}"), None) for page in ("", "guide/", "rules/", "annual/")]
    reports = (annual_reports_public().values("agency_id", "year").annotate(last=Max("published_at"))
               .order_by("agency_id", "-year"))
    urls += [(absolute(f"/portal/{r['agency_id']}/annual/{r['year']}/"), timezone.localdate(r["last"]))
             for r in reports]
    urls += [(absolute(f"/portal/publications/{pk}/"), day)
             for pk, day in publications_public().order_by("pk").values_list("pk", "published_on")]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"<url><loc>{escape(url)}</loc>{f'<lastmod>{day.isoformat()}</lastmod>' if day else ''}</url>"
              for url, day in urls]
    lines.append("</urlset>")
    return HttpResponse("\n".join(lines), content_type="application/xml; charset=utf-8")
