from django.urls import path

from . import views, views_kaohe

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
    path("bulletins/", views_kaohe.bulletin_list, name="bulletin_list"),
    path("bulletins/generate/", views_kaohe.bulletin_generate, name="bulletin_generate"),
    path("bulletins/<int:pk>/", views_kaohe.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/issue/", views_kaohe.bulletin_issue, name="bulletin_issue"),
    path("bulletins/<int:pk>/regenerate/", views_kaohe.bulletin_regenerate, name="bulletin_regenerate"),
    path("bulletins/<int:pk>/<str:fmt>/", views_kaohe.bulletin_download, name="bulletin_download"),
    path("my/bulletins/", views_kaohe.my_bulletins, name="my_bulletins"),
    path("kaohe/", views_kaohe.kaohe_ranking, name="kaohe_ranking"),
    path("kaohe/rubric/", views_kaohe.kaohe_rubric, name="kaohe_rubric"),
    path("kaohe/finalise/", views_kaohe.kaohe_finalise, name="kaohe_finalise"),
    path("kaohe/<int:office_pk>/<int:agency_pk>/", views_kaohe.kaohe_unit, name="kaohe_unit"),
    path("my/kaohe/", views_kaohe.my_kaohe, name="my_kaohe"),
]
