from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("lpse.core.urls")),
    path("akun/", include("lpse.accounts.urls")),
    path("sop/", include("lpse.sop.urls")),
    path("audit/", include("lpse.audit.urls")),
    path("penyedia/", include("lpse.vendors.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
