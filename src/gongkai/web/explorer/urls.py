from django.urls import path

from . import views

app_name = "explorer"

urlpatterns = [
    path("", views.corpus_index, name="index"),
    path("reports/", views.corpus_reports, name="reports"),
    path("reports/<str:report_id>/", views.corpus_report, name="report"),
    path("reports/<str:report_id>/source", views.corpus_source, name="source"),
]
