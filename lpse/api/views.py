"""The user's token page (GEN-3, SEC-1): list own tokens, issue one, revoke one.

Any logged-in user may hold tokens, with only the scopes their roles allow; staff
reach the page only after the TOTP step (`TwoFactorMiddleware`, checked again here
as `role_required` does). The secret is shown once, right after it is issued.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from lpse.core.access import needs_second_factor

from . import selectors, services
from .errors import json_error
from .forms import TokenForm


def _second_factor(request: HttpRequest) -> HttpResponse | None:
    if needs_second_factor(request.user):
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('accounts:otp_verify')}?{query}")
    return None


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    if (refused := _second_factor(request)) is not None:
        return refused
    form = TokenForm(request.POST or None, user=request.user)
    secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, secret = services.issue_token(
                    request.user,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    expires_at=form.expires_at(),
                    by=request.user,
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                form = TokenForm(user=request.user)
        else:
            status = 400
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": list(selectors.tokens_of(request.user)),
            "site_url": request.build_absolute_uri("/").rstrip("/"),
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the new secret is shown once
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if (refused := _second_factor(request)) is not None:
        return refused
    token = selectors.get_token_for_user(request.user, pk)
    services.revoke_token(token, by=request.user, request=request)
    messages.success(request, _("Token %(name)s dicabut.") % {"name": token.name})
    return redirect("apitokens:list")


@csrf_exempt  # no cookie is used: it only answers 404
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any path under /api/ that no operation matched: a JSON 404 in the API's error shape,
    not the site's HTML page (mounted after the API's own URLs)."""
    return json_error(404)
