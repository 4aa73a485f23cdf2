"""The dossier processing page for the resolving units' staff (/xu-ly/ho-so/<pk>/).

One page per dossier: header, control sheet (form 06), files and papers, and
the actions this person may take on the current step. Views parse input, call
a service and render or redirect; what the page offers is read by
:func:`dossiers.selectors_casework.casework_for`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from tthc_portal.accounts.second_factor.services import second_factor_is_recent
from tthc_portal.signing.services import SigningError

from ..forms_processing import ANSWERED_SCOPE_SLUG as ANSWERED
from ..models import DocumentKind, Dossier, DossierStep, Status
from ..selectors_casework import (
    casework_for,
    dossier_apology,
    dossier_light,
    may_print_control_sheet,
    signed_result_report,
    staff_dossier,
)
from ..selectors_processing import closing_consequences, dossier_steps
from ..services import DossierError
from ..services.decisions import supplement_warning
from ..services.documents import document_issue
from ..services.steps import open_step
from .errors import form_error, service_error, service_error_message
from .processing_actions import ACTIONS_BY_NAME, Action, actions_now, form_for, forms_for, opened

DOCUMENT_FRAGMENT = "dossiers/documents/_status.html"
RESULT_STATUSES = (Status.RESULT_READY, Status.RETURNED, Status.ARCHIVED)
# Actions that sign the result with the agency's certificate (decisions.dossier_approve).
REAUTH_ACTIONS = frozenset({"approve"})
# What a consulted unit may do on the dossier it reads (issue 18 item 7).
CONSULTED_ACTIONS = frozenset({"answer"})


def dossier_or_404(request: HttpRequest, pk: int, action: str = "") -> Dossier:
    """The dossier as the user sees it; for an ``action`` other than answering a
    consultation, only a dossier the user's agency handles (else 404)."""
    try:
        dossier = staff_dossier(request.user, pk)
    except Dossier.DoesNotExist:
        raise Http404(_("Không tìm thấy hồ sơ.")) from None
    if action and action not in CONSULTED_ACTIONS and not dossier.handled:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


def page_url(dossier: Dossier, anchor: str = "") -> str:
    url = reverse("processing:dossier", args=[dossier.pk])
    return f"{url}#{anchor}" if anchor else url


def render_page(
    request: HttpRequest,
    dossier: Dossier,
    *,
    failed: str = "",
    form=None,
    error: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    work = casework_for(request.user, dossier)
    forms = forms_for(work, dossier)
    errors = {}
    top_error = None
    open_forms = opened(work, dossier, forms)
    if failed:
        if failed in forms:
            forms[failed] = form
            errors[failed] = error
            open_forms.add(failed)
        else:  # the action is no longer offered (state changed): say why at the top
            top_error = error
    context = {
        "dossier": dossier,
        "procedure": dossier.procedure_version.procedure,
        "work": work,
        "forms": forms,
        "groups": actions_now(work, dossier, forms),
        "opened": open_forms,
        "errors": errors,
        "top_error": top_error,
        "steps": list(dossier_steps(dossier)),
        "documents": list(dossier.documents.all()),
        "document_template": DOCUMENT_FRAGMENT,
        "supplement_requests": list(dossier.supplement_requests.all()),
        "supplement_warning": supplement_warning(dossier),
        "apology": dossier_apology(dossier),
        "light": dossier_light(dossier),
        "signed": signed_result_report(dossier) if dossier.status in RESULT_STATUSES else None,
    }
    return render(request, "dossiers/processing/dossier.html", context, status=status)


@never_cache
@login_required
@require_safe
def dossier_page(request: HttpRequest, pk: int) -> HttpResponse:
    return render_page(request, dossier_or_404(request, pk))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = ACTIONS_BY_NAME.get(action)
    if spec is None:
        raise Http404
    dossier = dossier_or_404(request, pk, action)
    if action in REAUTH_ACTIONS and not second_factor_is_recent(request):
        # Signing a result is the one act that needs a fresh second factor.
        messages.warning(request, _("Vui lòng nhập lại mã xác thực trước khi ký kết quả."))
        verify = reverse("accounts:second_factor_verify")
        return redirect(f"{verify}?{urlencode({'next': page_url(dossier, spec.anchor)})}")
    work = casework_for(request.user, dossier)
    files = request.FILES if spec.files else None
    form = form_for(spec, work, dossier, request.POST, files)
    if not form.is_valid():
        return render_page(
            request, dossier, failed=action, form=form, error=form_error(form), status=400
        )
    if (
        spec.confirm
        and request.POST.get("confirmed") != "1"
        and spec.available(work, dossier)  # else the service says why not (403, refusal)
    ):
        return confirm_page(request, dossier, spec, form)
    try:
        message = spec.run(request.user, dossier, form.cleaned_data)
    except PermissionDenied:
        # A page opened before its step was reassigned or moved on: say who holds
        # the dossier now instead of a bare "no access". Any other refusal stays 403.
        if not step_moved_away(request.user, form.cleaned_data.get("step")):
            raise
        return step_moved_on(request, dossier_or_404(request, pk))
    except (DossierError, SigningError) as failure:
        # The action itself was refused (the dossier moved on, a rule said no):
        # back to the page with the reason, so a refresh does not send it again.
        messages.error(request, service_error_message(spec.label, service_error(failure)))
        return redirect(page_url(dossier, spec.anchor))
    messages.success(request, message)
    if not dossier.handled:
        # Answered: the dossier is closed to the consulted unit; its record stays.
        return redirect(f"{reverse('processing:worklist')}?{urlencode({'pham_vi': ANSWERED})}")
    return redirect(page_url(dossier, spec.anchor))


def confirm_page(request: HttpRequest, dossier: Dossier, spec: Action, form) -> HttpResponse:
    """The step between the head's click and a decision that ends the dossier:
    what the citizen is told, the fee, the national portal; the reason typed
    is carried in the confirming form."""
    context = {
        "dossier": dossier,
        "action": spec,
        "form": form,
        "reason": form.cleaned_data["reason"],
        "consequences": closing_consequences(dossier, spec.transition),
        "back": page_url(dossier, spec.anchor),
    }
    return render(request, "dossiers/processing/confirm.html", context)


def step_moved_away(user, step) -> bool:
    """The step the form was about is no longer this user's: finished, or now
    assigned to someone else."""
    step_id = getattr(step, "pk", step)
    if not step_id:
        return False
    current = DossierStep.objects.filter(pk=step_id).values("completed_at", "assignee_id").first()
    if current is None:
        return False
    return current["completed_at"] is not None or current["assignee_id"] not in (None, user.pk)


def step_moved_on(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    step = open_step(dossier)
    context = {
        "dossier": dossier,
        "step": step,
        "holder": step.assignee.display_name if step and step.assignee_id else "",
        "holder_agency": step.agency.name if step else "",
    }
    return render(request, "dossiers/processing/moved_on.html", context, status=409)


@login_required
@require_POST
def control_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Print form 06 as it stands now: a new paper each time (the sheet grows).
    Only the handling agency's processing staff print it."""
    dossier = dossier_or_404(request, pk, "control_sheet")
    if not may_print_control_sheet(request.user, dossier):
        raise PermissionDenied(_("Chỉ cán bộ xử lý hồ sơ được in phiếu kiểm soát."))
    document_issue(dossier, DocumentKind.CONTROL_SHEET)
    messages.success(
        request,
        _("Đang tạo Phiếu kiểm soát quá trình giải quyết hồ sơ (mẫu 06); tải về ở mục giấy tờ."),
    )
    return redirect(page_url(dossier, "giay-to"))


__all__ = ["act", "control_sheet", "dossier_page", "render_page"]
