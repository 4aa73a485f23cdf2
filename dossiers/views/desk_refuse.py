"""Refusing a dossier at reception ("Từ chối tiếp nhận", form 03), confirmed first.

``/mot-cua/<pk>/tu-choi/``:

- GET shows what refusing sets off (the notice and how the citizen gets it,
  the fees, the national portal, that it cannot be undone) with the reason box;
- POST without ``confirmed=1`` (the reason typed on the check page) shows the
  same page with the reason kept; nothing changes;
- POST with ``confirmed=1`` refuses, once, and redirects to the check page.

As on the processing page's stop / not-eligible confirmation: invalid input is
shown again (400) on the page it was typed on; a refusal by the service
redirects back with the reason, so a refresh does not send it again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..forms_desk import RefusalForm
from ..models import Dossier
from ..selectors_refusal import refusal_consequences
from ..services import DossierError
from ..services.reception import dossier_refuse
from ..workflow import TRANSITIONS, actions_for
from .desk import check_page, dossier_or_404, refused
from .errors import form_error, service_error

REFUSE = TRANSITIONS["refuse"]


def confirm_page(
    request: HttpRequest, dossier: Dossier, form: RefusalForm, *, error=None, status: int = 200
) -> HttpResponse:
    context = {
        "dossier": dossier,
        "label": str(REFUSE.label),
        "form": form,
        "error": error,
        "consequences": refusal_consequences(dossier),
        "back": reverse("dossiers:desk_check", args=[dossier.pk]),
    }
    return render(request, "dossiers/desk/refuse_confirm.html", context, status=status)


def _not_decidable(dossier: Dossier) -> dict:
    # Same words as the lifecycle service's refusal for a dossier in the wrong state.
    return {
        "message": _("Không thể “%(action)s”: hồ sơ đang ở trạng thái “%(status)s”.")
        % {"action": REFUSE.label, "status": dossier.get_status_display()},
        "details": [],
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = dossier_or_404(request, pk)
    label = str(REFUSE.label)
    if "refuse" not in actions_for(dossier):
        # Decided meanwhile (another tab, another officer): nothing to confirm.
        # A confirmed POST that races past this check is refused by the service.
        return refused(request, dossier, label, _not_decidable(dossier))
    if request.method != "POST":
        return confirm_page(request, dossier, RefusalForm())
    form = RefusalForm(request.POST)
    confirmed = request.POST.get("confirmed") == "1"
    if not form.is_valid():
        error = form_error(form)
        if confirmed:  # typed on the confirmation page: correct it there
            return confirm_page(request, dossier, form, error=error, status=400)
        return check_page(request, dossier, error=error, refusal_form=form, status=400)
    if not confirmed:
        return confirm_page(request, dossier, form)
    try:
        dossier_refuse(actor=request.user, dossier=dossier, reason=form.cleaned_data["reason"])
    except DossierError as failure:
        return refused(request, dossier, label, service_error(failure))
    messages.success(request, _("Đã từ chối tiếp nhận hồ sơ và lập phiếu từ chối."))
    return redirect("dossiers:desk_check", pk=pk)


__all__ = ["confirm_page", "refuse"]
