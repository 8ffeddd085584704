"""The portal owns the landing page /, /portal/, /search/, the site feeds and /sitemap.xml (included at the site root)."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.portal_index, name="home"),
    path("portal/", views.portal_index, name="index"),
    path("feed.rss", views.SiteFeed(), name="site_rss"),
    path("feed.atom", views.SiteAtomFeed(), name="site_atom"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("portal/<int:agency_id>/", views.agency_home, name="agency"),
    path("portal/<int:agency_id>/guide/", views.disclosure_text, {"which": "guide"}, name="guide"),
    path("portal/<int:agency_id>/rules/", views.disclosure_text, {"which": "rules"}, name="rules"),
    path("portal/<int:agency_id>/catalogue/", views.catalogue, name="catalogue"),
    path("portal/<int:agency_id>/annual/", views.annual_list, name="annual_list"),
    path("portal/<int:agency_id>/annual/<int:year>/", views.annual_report, name="annual_report"),
    path("portal/<int:agency_id>/annual/<int:year>/v<int:version>/", views.annual_report,
         name="annual_report_version"),
    path("portal/<int:agency_id>/annual/<int:year>/v<int:version>.<str:fmt>", views.annual_download,
         name="annual_download"),
    path("portal/<int:agency_id>/feed.rss", views.AgencyFeed(), name="rss"),
    path("portal/<int:agency_id>/feed.atom", views.AgencyAtomFeed(), name="atom"),
    path("portal/publications/<int:pk>/", views.publication_detail, name="publication"),
    path("portal/attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("search/", views.search, name="search"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
]
