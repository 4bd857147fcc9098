from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import nav as navigation


def lpse(request: HttpRequest) -> dict:
    """Identity of the service unit and the navigation, for every page and letter."""
    user = getattr(request, "user", None)
    return {
        "LPSE_NAME": settings.LPSE_NAME,
        "LPSE_PARENT": settings.LPSE_PARENT,
        "LPSE_ADDRESS": settings.LPSE_ADDRESS,
        "LPSE_PHONE": settings.LPSE_PHONE,
        "LPSE_EMAIL": settings.LPSE_EMAIL,
        "LPSE_WEBSITE": settings.LPSE_WEBSITE,
        "LPSE_WORKING_HOURS": _hours(settings.LPSE_WORKING_HOURS),
        "LPSE_VERIFICATION_HOURS": _hours(settings.LPSE_VERIFICATION_HOURS),
        # Lazy: computed only when a template shows it (letters and e-mails do not).
        "nav": SimpleLazyObject(
            lambda: navigation.grouped(navigation.links_for(user, request.path))
        ),
    }


def _hours(window: str) -> str:
    """A window like "09:00-15:00" as people write it, with an en dash."""
    return window.replace("-", "\N{EN DASH}")
