from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.application_create, name="application_create"),
    path("done/<str:token>/", views.application_done, name="application_done"),
    path("progress/", views.progress, name="progress"),
]
