"""The upload size limit for the helpdesk's forms with attachments (SEC-3, as company data)."""

from __future__ import annotations

from functools import wraps

from django.views.decorators.csrf import csrf_exempt, csrf_protect

from lpse.vendors.uploads import limit_request_uploads, too_large_rejection


def limited_uploads(view):
    """Install the size limit before the body is read, then check CSRF as usual."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            limit_request_uploads(request)
        return protected(request, *args, **kwargs)

    return wrapped


def refuse_oversize(request, form, field: str = "attachment") -> bool:
    """Put the size refusal on the form; True when the upload was stopped."""
    stopped = too_large_rejection(request)
    if stopped is None:
        return False
    form.is_valid()
    form.add_error(field, stopped.message)
    return True


def files_of(form, field: str = "attachment") -> list:
    item = form.cleaned_data.get(field)
    return [item] if item else []
