"""The portal owns /portal/, /search/ and /sitemap.xml (included at the site root)."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("portal/", views.portal_index, name="index"),
    path("portal/<int:agency_id>/", views.agency_home, name="agency"),
    path("portal/<int:agency_id>/catalogue/", views.catalogue, name="catalogue"),
    path("portal/<int:agency_id>/feed.rss", views.AgencyFeed(), name="rss"),
    path("portal/<int:agency_id>/feed.atom", views.AgencyAtomFeed(), name="atom"),
    path("portal/publications/<int:pk>/", views.publication_detail, name="publication"),
    path("portal/attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("search/", views.search, name="search"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
]
