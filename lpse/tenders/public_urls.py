"""Public tender pages and OCDS downloads (BID-5), in the ``tenders`` namespace.

No ``app_name`` here: ``lpse/tenders/urls.py`` includes these patterns last, so
their names are ``tenders:public_list`` etc. under ``/tender/``. Codes are digits
only, so they never shadow the word paths of the committee pages.
"""

from django.urls import path

from . import converters, public_views

converters.register()

urlpatterns = [
    path("", public_views.public_list, name="public_list"),
    path("ocds/paket.json", public_views.public_ocds_package, name="public_ocds_package"),
    path("<tender_code:code>/", public_views.public_detail, name="public_detail"),
    path("<tender_code:code>/ocds.json", public_views.public_ocds, name="public_ocds"),
]
