from django.urls import path

from . import collection_views, copied_views, rollup_views, views

app_name = "supervision"

urlpatterns = [
    path("", views.roster, name="roster"),
    path("roster/import/", views.roster_import, name="roster_import"),
    path("checkins/", views.office_checkins, name="office_checkins"),
    path("checkins/items/new/", views.item_add, name="item_add"),
    path("checkins/items/<int:pk>/toggle/", views.item_toggle, name="item_toggle"),
    path("checkins/deadline/", views.deadline_set, name="deadline_set"),
    path("checkins/<int:pk>/", views.checkin_detail, name="checkin_detail"),
    path("my/", views.my_checkins, name="my_checkins"),
    path("findings/", views.office_findings, name="office_findings"),
    path("findings/run/", views.inspection_run, name="inspection_run"),
    path("findings/new/", views.finding_add, name="finding_add"),
    path("findings/settings/", views.inspection_settings_set, name="inspection_settings_set"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("my/findings/", views.my_findings, name="my_findings"),
    path("digest/", views.office_digest, name="office_digest"),
    path("my/digest/", views.my_digest, name="my_digest"),
    path("rollup/", rollup_views.rollup, name="rollup"),
    path("rollup/cells/<str:table>/<str:row>/<str:column>/", rollup_views.rollup_cell, name="rollup_cell"),
    path("rollup/download/<str:fmt>/", rollup_views.rollup_download, name="rollup_download"),
    path("rollup/covers/", rollup_views.rollup_covers, name="rollup_covers"),
    path("copied/", copied_views.copied, name="copied"),
    path("copied/compare/", copied_views.copied_compare, name="copied_compare"),
    path("annual/", collection_views.collection, name="collection"),
    path("annual/units/<int:unit_pk>/file/", collection_views.filing_new, name="filing_new"),
    path("annual/filings/<int:pk>/", collection_views.filing_detail, name="filing_detail"),
    path("annual/filings/<int:pk>/download/", collection_views.filing_download, name="filing_download"),
    path("annual/batch/", collection_views.batch_upload, name="batch_upload"),
    path("annual/compare/", collection_views.compare, name="compare"),
    path("my/annual/", collection_views.my_filings, name="my_filings"),
]
