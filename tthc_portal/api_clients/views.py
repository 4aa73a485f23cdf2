"""Administrator pages: integration clients of the agencies, their secrets and revocation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from oauth2_provider.settings import oauth2_settings

from . import selectors, services
from .forms import ApiClientCreateForm


def _manager_or_404(request: HttpRequest) -> None:
    # Like the other administrator pages: others do not learn the page exists.
    if not selectors.is_client_manager(request.user):
        raise Http404


def _show_secret(request: HttpRequest, issued: services.IssuedSecret, *, created: bool):
    response = render(
        request,
        "api_clients/secret.html",
        {
            "client": issued.client,
            "client_secret": issued.client_secret,
            "created": created,
            "token_url": request.build_absolute_uri(reverse("api_clients:token")),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    _manager_or_404(request)
    return render(
        request,
        "api_clients/list.html",
        {
            "clients": selectors.clients_for_manager(request.user),
            "scope_labels": oauth2_settings.SCOPES,
            "token_seconds": oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS,
        },
    )


@never_cache
@login_required
def client_create(request: HttpRequest) -> HttpResponse:
    _manager_or_404(request)
    agencies = selectors.agencies_for_client_manager(request.user)
    form = ApiClientCreateForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_client_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                agency=form.cleaned_data["agency"],
                scopes=list(form.cleaned_data["scopes"]),
            )
        except services.ApiClientError as error:
            form.add_error(None, str(error))
        else:
            return _show_secret(request, issued, created=True)
    return render(request, "api_clients/create.html", {"form": form})


@login_required
@require_POST
def client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_or_404(request)
    client = get_object_or_404(selectors.clients_for_manager(request.user), pk=pk)
    services.api_client_revoke(actor=request.user, client=client)
    messages.success(
        request,
        _("Đã thu hồi hệ thống kết nối “%(name)s”; mọi mã truy cập của hệ thống hết hiệu lực.")
        % {"name": client.name},
    )
    return redirect(reverse("api_clients:list"))


@never_cache
@login_required
@require_POST
def client_secret_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_or_404(request)
    client = get_object_or_404(selectors.clients_for_manager(request.user), pk=pk)
    try:
        issued = services.api_client_secret_rotate(actor=request.user, client=client)
    except services.ApiClientError as error:
        messages.error(request, str(error))
        return redirect(reverse("api_clients:list"))
    return _show_secret(request, issued, created=False)
