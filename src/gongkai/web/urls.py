from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "政府信息公开工作系统"
admin.site.site_title = "gongkai"
admin.site.index_title = "管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("gongkai.web.api.urls")),
    path("", include("gongkai.web.portal.urls")),  # /, /portal/, /search/, /feed.rss, /sitemap.xml
    path("shenqing/", include("gongkai.web.public.urls")),
    path("staff/supervision/", include("gongkai.web.supervision.urls")),
    path("staff/", include("gongkai.web.staff.urls")),
    path("corpus/", include("gongkai.web.explorer.urls")),
]
