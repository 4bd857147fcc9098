from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import selectors


def maintenance(request: HttpRequest) -> dict:
    """The maintenance windows whose banner shows now (MON-5); queried only when rendered."""
    return {"maintenance_banners": SimpleLazyObject(lambda: selectors.banner_windows())}
