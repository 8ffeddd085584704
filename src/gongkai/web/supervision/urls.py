from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.roster, name="roster"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("checkins/weeks/", views.checkin_weeks, name="checkin_weeks"),
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
]
