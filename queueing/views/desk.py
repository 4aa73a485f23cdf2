"""The desk officer's counter: call next, recall, complete, skip, transfer,
restore a skipped ticket, link the dossier entered."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tthc_portal.agencies.selectors import agencies_for_user

from .. import selectors
from ..forms import CounterActionForm
from ..models import Counter, Ticket, TicketStatus
from ..services import QueueError
from ..services.tickets import (
    COUNTER_PERM,
    ticket_call_next,
    ticket_link_dossier,
    ticket_transition,
)


def staff_only(request: HttpRequest) -> None:
    if getattr(request.user, "is_applicant", False):
        raise PermissionDenied


@login_required
@require_safe
def counters(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    return render(
        request,
        "queueing/counters.html",
        {"counters": selectors.counters_for_officer(request.user)},
    )


def _counter(request: HttpRequest, counter_id: int) -> Counter:
    staff_only(request)
    return get_object_or_404(selectors.counters_for_officer(request.user), pk=counter_id)


@login_required
@require_http_methods(["GET", "POST"])
def counter(request: HttpRequest, counter_id: int) -> HttpResponse:
    counter = _counter(request, counter_id)
    form = CounterActionForm(request.POST or None, counter=counter)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("Thao tác không hợp lệ."))
            return redirect("queueing:counter", counter_id=counter.pk)
        try:
            _act(request, counter, form.cleaned_data)
        except QueueError as refusal:
            messages.error(request, str(refusal))
        return redirect("queueing:counter", counter_id=counter.pk)
    today = timezone.localdate()
    current = (
        Ticket.objects.filter(counter=counter, status=TicketStatus.CALLED)
        .select_related("service_group", "priority_class")
        .first()
    )
    # A ticket transferred from another agency's counter keeps that agency's
    # dossiers; only the officer's own agencies' codes are shown.
    linked = (
        current.dossiers.filter(
            receiving_agency__in=agencies_for_user(request.user, COUNTER_PERM)
        ).values_list("code", flat=True)
        if current
        else []
    )
    groups = list(counter.service_groups.all())
    waiting = Ticket.objects.filter(day=today, status=TicketStatus.WAITING).filter(
        service_group__in=groups
    )
    skipped = Ticket.objects.filter(
        day=today, status=TicketStatus.SKIPPED, counter=counter
    ).order_by("-completed_at")[:10]
    context = {
        "counter": counter,
        "current": current,
        "linked": list(linked),
        "form": form,
        "waiting_count": waiting.count(),
        "waiting_priority": waiting.filter(priority_weight__gt=0).count(),
        "reserved": waiting.filter(counter=counter).count(),
        "skipped": skipped,
        "groups": groups,
    }
    return render(request, "queueing/counter.html", context)


def _act(request: HttpRequest, counter: Counter, data: dict) -> None:
    action, user = data["action"], request.user
    if action == "next":
        ticket = ticket_call_next(actor=user, counter=counter)
        if ticket is None:
            messages.info(request, _("Không còn ai đang chờ."))
        else:
            messages.success(request, _("Đã gọi số %(label)s.") % {"label": ticket.label})
        return
    ticket = Ticket.objects.filter(pk=data.get("ticket"), centre_id=counter.centre_id).first()
    if ticket is None:
        raise Http404
    if action == "link":
        dossier = ticket_link_dossier(
            actor=user, ticket=ticket, counter=counter, code=data.get("dossier_code", "")
        )
        messages.success(request, _("Đã gắn hồ sơ %(code)s với số %(label)s.")
                         % {"code": dossier.code, "label": ticket.label})  # fmt: skip
        return
    ticket_transition(actor=user, ticket=ticket, action=action, counter=counter,
                      target=data.get("target"))  # fmt: skip
    messages.success(request, _("Đã cập nhật số %(label)s.") % {"label": ticket.label})
