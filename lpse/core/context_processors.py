from django.conf import settings
from django.http import HttpRequest


def lpse(request: HttpRequest) -> dict:
    """Identity of the service unit, for every page and letter."""
    return {
        "LPSE_NAME": settings.LPSE_NAME,
        "LPSE_PARENT": settings.LPSE_PARENT,
        "LPSE_ADDRESS": settings.LPSE_ADDRESS,
        "LPSE_PHONE": settings.LPSE_PHONE,
        "LPSE_EMAIL": settings.LPSE_EMAIL,
    }
