"""The public portal (政府信息公开专栏): no login, and every read goes through ``publications_public``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from gongkai.web.agencies.models import Agency
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

PER_PAGE = 20


def _agency_or_404(agency_id: int) -> Agency:
    return get_object_or_404(Agency, pk=agency_id)


def portal_index(request):
    agencies = Agency.objects.annotate(
        published=Count("publications", filter=_public_q())).order_by("full_name")
    return render(request, "portal/index.html", {"agencies": agencies})


def _public_q():
    from django.db.models import Q
    return Q(publications__pk__in=publications_public().values("pk"))


def agency_home(request, agency_id: int):
    agency = _agency_or_404(agency_id)
    public = publications_public().filter(agency=agency)
    context = {
        "agency": agency,
        "disclosure": AgencyDisclosure.objects.filter(agency=agency).first(),
        "latest": public.order_by("-publish_at", "-pk")[:10],
        "items": _counts(public, "article20_item", Article20Item),
        "domains": _counts(public.exclude(catalogue_domain=""), "catalogue_domain", CatalogueDomain),
        "columns": list(public.exclude(column="").values_list("column", flat=True).distinct().order_by("column")),
    }
    return render(request, "portal/agency_home.html", context)


def _counts(queryset, field: str, choices) -> list[tuple[str, str, int]]:
    counts = dict(queryset.values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
    return [(value, label, counts[value]) for value, label in choices.choices if counts.get(value)]


def catalogue(request, agency_id: int):
    """Browse one agency's published items by 第二十条 item, topic column, catalogue domain or 体裁."""
    agency = _agency_or_404(agency_id)
    queryset = publications_public().filter(agency=agency)
    selected = {}
    item = request.GET.get("item", "")
    if item.isdigit() and int(item) in Article20Item.values:
        queryset = queryset.filter(article20_item=int(item))
        selected["item"] = Article20Item(int(item)).label
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
        "agency": agency, "page": page, "selected": selected, "query": urlencode(query),
        "items": Article20Item.choices, "domains": CatalogueDomain.choices, "genres": Genre.choices,
    })


def publication_detail(request, pk: int):
    publication = get_object_or_404(publications_public().select_related("agency"), pk=pk)
    public = publications_public()
    context = {
        "p": publication,
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
    if filters["agency"] and not filters["agency"].isdigit():
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


class AgencyFeed(Feed):
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

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return escape(item.body[:300])

    def item_pubdate(self, item):
        return item.publish_at

    def item_guid(self, item):
        return item.index_number

    item_guid_is_permalink = False


class AgencyAtomFeed(AgencyFeed):
    feed_type = Atom1Feed
    subtitle = AgencyFeed.description


def sitemap(request):
    urls = [request.build_absolute_uri("/portal/"), request.build_absolute_uri("/search/")]
    urls += [request.build_absolute_uri(f"/portal/{pk}/") for pk in Agency.objects.values_list("pk", flat=True)]
    entries = [(request.build_absolute_uri(f"/portal/publications/{pk}/"), day)
               for pk, day in publications_public().order_by("pk").values_list("pk", "published_on")]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"<url><loc>{escape(url)}</loc></url>" for url in urls]
    lines += [f"<url><loc>{escape(url)}</loc><lastmod>{day.isoformat()}</lastmod></url>" for url, day in entries]
    lines.append("</urlset>")
    return HttpResponse("\n".join(lines), content_type="application/xml; charset=utf-8")

