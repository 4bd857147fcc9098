"""Reports under /laporan/ (RPT-1): the head's monthly summary; exports sit on each list."""

from . import summary_urls

app_name = "reports"
urlpatterns = [*summary_urls.urlpatterns]
