"""The desk's look-up in the citizen's data store, and "take it from the store".

Only officers holding ``receive_dossiers`` on the dossier's receiving agency
reach the page (the desk's own selector); for anyone else it does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dossiers.models import Dossier
from dossiers.selectors_desk import desk_dossier
from dossiers.services import DossierError
from dossiers.views.errors import form_error, service_error

from ..datastore.forms import StoreFillForm
from ..datastore.selectors import store_components, store_lookup_latest
from ..datastore.services import (
    DESK,
    StoreDocument,
    component_fill_from_store,
    datastore_lookup,
    store_lookup_documents,
)


def _dossier_or_404(request: HttpRequest, pk: int) -> Dossier:
    try:
        return desk_dossier(request.user, pk)
    except Dossier.DoesNotExist:
        raise Http404 from None


def _page(request: HttpRequest, dossier: Dossier, *, error=None, status: int = 200):
    lookup = store_lookup_latest(dossier)
    requirements = list(dossier.procedure_version.components.order_by("order", "pk"))
    documents = [
        {"document": document, "form": StoreFillForm(
            initial={"lookup": document.lookup_id, "index": document.index},
            requirements=requirements, auto_id=f"tp-{document.index}-%s")}
        for document in (store_lookup_documents(lookup) if lookup else [])
    ]  # fmt: skip
    context = {
        "dossier": dossier, "lookup": lookup, "documents": documents, "error": error,
        "filled": store_components(dossier),
    }  # fmt: skip
    return render(request, "integrations/datastore_page.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def datastore_page(request: HttpRequest, dossier_id: int) -> HttpResponse:
    dossier = _dossier_or_404(request, dossier_id)
    if request.method != "POST":
        return _page(request, dossier)
    if request.POST.get("action") == "lookup":
        return _lookup(request, dossier)
    return _fill(request, dossier)


def _lookup(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    try:
        result = datastore_lookup(dossier=dossier, actor=request.user, channel=DESK)
    except PermissionDenied:
        raise Http404 from None
    except DossierError as error:
        return _page(request, dossier, error=service_error(error), status=400)
    if result.error:
        return _page(request, dossier, error={"message": result.error, "details": []})
    messages.success(request, _("Tìm thấy %(n)s giấy tờ trong kho dữ liệu.")
                     % {"n": len(result.documents)})  # fmt: skip
    return redirect("integrations:datastore", dossier_id=dossier.pk)


def _fill(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    requirements = list(dossier.procedure_version.components.all())
    form = StoreFillForm(request.POST, requirements=requirements)
    if not form.is_valid():
        return _page(request, dossier, error=form_error(form), status=400)
    item = StoreDocument.named(form.cleaned_data["lookup"], form.cleaned_data["index"])
    try:
        component = component_fill_from_store(
            dossier=dossier, actor=request.user, item=item, requirement=form.chosen_requirement()
        )
    except PermissionDenied:
        raise Http404 from None
    except DossierError as error:
        return _page(request, dossier, error=service_error(error), status=400)
    messages.success(request, _("Đã lấy “%(name)s” từ kho dữ liệu.") % {"name": component.name})
    return redirect("integrations:datastore", dossier_id=dossier.pk)
