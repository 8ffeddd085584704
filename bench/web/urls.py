"""The site's URLs plus ``/bench/bare/``: a view that does nothing, the baseline of the web benchmark."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), path("", include("gongkai.web.urls"))]
