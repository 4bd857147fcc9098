from django.urls import include, path

app_name = "tenders"
urlpatterns = [
    # Public pages (BID-5) last: their codes are digits, never a word path.
    path("", include("lpse.tenders.public_urls")),
]
