"""Staff search: find any dossier of the user's agencies (/tim-ho-so/).

A GET form (the results can be bookmarked and paged). The page exists only for
staff holding ``view_agency_records`` on some agency; anyone else gets a 404.
Searches that include a full ID number are written to the audit log.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from tthc_portal.agencies.selectors import agencies_for_user

from .. import selectors_search as selectors
from ..selectors_citizen import STATUS_CSS
from ..services.search import id_search_record

PAGE_SIZE = 20


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Từ khóa"),
        max_length=selectors.MAX_QUERY_CHARS,
        required=False,
        help_text=_(
            "Mã hồ sơ hoặc các số cuối của mã, tên người nộp (có hoặc không dấu; gõ trọn "
            "từng chữ, theo thứ tự bất kỳ, chữ cuối có thể gõ dở), số điện thoại, số định "
            "danh cá nhân hoặc mã số thuế (đầy đủ)."
        ),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    theo = forms.ChoiceField(label=_("Tìm theo"), choices=selectors.SearchKind.choices,
                             required=False)  # fmt: skip

    def plan(self) -> selectors.SearchPlan:
        if not self.is_valid():
            return selectors.SearchPlan()
        return selectors.search_plan(self.cleaned_data["q"], self.cleaned_data["theo"])


def _row(dossier) -> dict:
    return {
        "dossier": dossier,
        "id_masked": selectors.masked_id(dossier.applicant_id_number),
        "status_css": STATUS_CSS.get(dossier.status, "muted"),
    }


@never_cache
@login_required
@require_safe
def staff_search(request: HttpRequest) -> HttpResponse:
    if not agencies_for_user(request.user, "view_agency_records").exists():
        raise Http404
    form = SearchForm(request.GET)
    plan = form.plan()
    context: dict = {"form": form, "plan": plan, "searched": plan.condition is not None}
    if plan.condition is not None:
        ids = selectors.first_result_ids(request.user, plan)
        count = len(ids)
        paginator = Paginator(ids[: selectors.COUNT_CAP], PAGE_SIZE)
        page = paginator.get_page(request.GET.get("trang"))
        if plan.id_number:
            id_search_record(
                actor=request.user, id_number=plan.id_number, found=count, page=page.number
            )
        context.update(
            page=page,
            page_range=paginator.get_elided_page_range(page.number, on_each_side=2),
            rows=[_row(dossier) for dossier in selectors.page_dossiers(list(page.object_list))],
            count=count,
            capped=count > selectors.COUNT_CAP,
            cap=selectors.COUNT_CAP,
        )
    return render(request, "dossiers/search.html", context)
