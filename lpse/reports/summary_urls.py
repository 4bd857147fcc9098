"""URLs of the head's monthly summary (RPT-1, SOP-3)."""

urlpatterns: list = []
