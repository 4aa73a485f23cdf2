"""Navigation per role, as data: one place decides what each user sees."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tthc_portal.accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]  # empty = every signed-in user

    @property
    def url(self) -> str:
        return reverse(self.url_name)


APPLICANT = "applicant"
ALL_STAFF = frozenset(Role.values)

PUBLICATION_ROLES = frozenset(
    {Role.SPECIALIST, Role.DEPARTMENT_HEAD, Role.PROVINCIAL_STAFF, Role.ADMINISTRATOR}
)

# Roles holding view_indicators (tthc_portal/accounts/roles.py).
INDICATOR_ROLES = frozenset({Role.DEPARTMENT_HEAD, Role.PROVINCIAL_STAFF})

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(_("Trang của tôi"), "web:dashboard", frozenset()),
    NavItem(_("Hồ sơ của tôi"), "dossiers:my_dossiers", frozenset({APPLICANT})),
    NavItem(_("Kho dữ liệu cá nhân"), "dossiers:personal_store", frozenset({APPLICANT})),
    NavItem(_("Đặt lịch hẹn"), "queueing:my_appointments", frozenset({APPLICANT})),
    NavItem(_("Hồ sơ chờ tiếp nhận"), "dossiers:desk_queue", frozenset({Role.DESK_OFFICER})),
    NavItem(_("Tiếp nhận trực tiếp"), "dossiers:counter_start", frozenset({Role.DESK_OFFICER})),
    NavItem(_("Trả kết quả"), "dossiers:desk_returns", frozenset({Role.DESK_OFFICER})),
    NavItem(_("Quầy gọi số"), "queueing:counters", frozenset({Role.DESK_OFFICER})),
    NavItem(
        _("Sổ theo dõi hồ sơ"),
        "register:index",
        frozenset({Role.DESK_OFFICER, Role.DEPARTMENT_HEAD}),
    ),
    NavItem(
        _("Tìm hồ sơ"),
        "dossiers:staff_search",
        frozenset(
            {Role.DESK_OFFICER, Role.SPECIALIST, Role.DEPARTMENT_HEAD, Role.PROVINCIAL_STAFF}
        ),
    ),
    NavItem(
        _("Xử lý hồ sơ"), "processing:worklist", frozenset({Role.SPECIALIST, Role.DEPARTMENT_HEAD})
    ),
    NavItem(_("Công bố TTHC"), "procedures:board", PUBLICATION_ROLES),
    NavItem(_("Phản ánh, kiến nghị"), "feedback:staff_inbox", ALL_STAFF),
    NavItem(_("Chỉ số 766"), "indicators:dashboard", INDICATOR_ROLES),
    NavItem(_("Thống kê xếp hàng"), "queueing:statistics", INDICATOR_ROLES),
    # Shown by role; the records/* groups decide (anyone else gets a 404 there).
    NavItem(
        _("Lưu trữ, hủy hồ sơ"),
        "records:proposals",
        frozenset({Role.DEPARTMENT_HEAD, Role.PROVINCIAL_STAFF, Role.ADMINISTRATOR}),
    ),
    NavItem(
        _("Đồng bộ liên thông"), "integrations:sync_dashboard", frozenset({Role.PROVINCIAL_STAFF})
    ),
    NavItem(_("Phản ánh, kiến nghị"), "feedback:published", frozenset({APPLICANT})),
    NavItem(_("Thông tin tài khoản"), "accounts:profile", frozenset()),
    NavItem(
        _("Xác thực hai bước cán bộ"),
        "accounts:second_factor_admin",
        frozenset({Role.ADMINISTRATOR}),
    ),
    NavItem(_("Hệ thống kết nối API"), "api_clients:list", frozenset({Role.ADMINISTRATOR})),
    NavItem(_("Lịch làm việc"), "workdays:list", ALL_STAFF),
    NavItem(_("Tính hạn xử lý"), "workdays:calculator", ALL_STAFF),
)


def items_for(roles: set[str], is_applicant: bool) -> list[NavItem]:
    effective = set(roles) | ({APPLICANT} if is_applicant else set())
    return [item for item in NAV_ITEMS if not item.roles or item.roles & effective]
