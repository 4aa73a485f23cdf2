"""Plain-language explanations of the 766 criteria, for officials who must act on them.

For each criterion code: what it measures, its numerator and denominator in
words, and what a unit can do to improve (indicators-766.md §3). ``explain``
turns one stored result (``selectors_units.CriterionRow``) and its rule into the
sentence saying why the unit lost points — "no data" (0/0) with the rule that
then gives full or zero points, the 1.4 sync factor 3.3 is multiplied by, the
average in days of 2.2 — so no page has to show a bare ratio.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .criteria import Code
from .scoring import CAP, CUSTOM_FACTOR, FULL_POLICY, MONITORING

HUNDRED = Decimal(100)
ONE = Decimal(1)


@dataclass(frozen=True)
class Explanation:
    measures: Promise
    numerator_words: Promise
    denominator_words: Promise
    how_to_improve: Promise
    item: Promise  # what one unit of the denominator is ("hồ sơ", "thủ tục"…)


def _e(measures: str, numerator: str, denominator: str, improve: str, item: str) -> Explanation:
    return Explanation(measures, numerator, denominator, improve, item)


DOSSIER = gettext_lazy("hồ sơ")
PROCEDURE = gettext_lazy("thủ tục")
SERVICE = gettext_lazy("dịch vụ công trực tuyến")
FEEDBACK = gettext_lazy("phản ánh, kiến nghị")

EXPLANATIONS: dict[str, Explanation] = {
    Code.PUBLISH_ON_TIME: _e(
        gettext_lazy(
            "Tỉnh công bố thủ tục hành chính kịp thời trước ngày văn bản quy định có hiệu lực."
        ),
        gettext_lazy(
            "Số thủ tục có quyết định công bố ký trước ngày văn bản có hiệu lực ít nhất 5 ngày "
            "làm việc"
        ),
        gettext_lazy(
            "Số thủ tục mới ban hành, sửa đổi, bãi bỏ trong các quyết định công bố ký trong kỳ "
            "(mỗi thủ tục tính một lần)"
        ),
        gettext_lazy(
            "Trình Chủ tịch UBND tỉnh ký quyết định công bố sớm, ngay khi Bộ, ngành ban hành "
            "quyết định công bố, không để sát ngày văn bản có hiệu lực."
        ),
        PROCEDURE,
    ),
    Code.POSTED_ON_TIME: _e(
        gettext_lazy(
            "Thủ tục đã công bố được công khai kịp thời trên Cơ sở dữ liệu quốc gia về TTHC."
        ),
        gettext_lazy(
            "Số thủ tục được công khai trên Cơ sở dữ liệu quốc gia chậm nhất 5 ngày làm việc sau "
            "ngày ký quyết định công bố"
        ),
        gettext_lazy("Số thủ tục cần công khai trong kỳ, gồm cả thủ tục chưa công khai đã đến hạn"),
        gettext_lazy(
            "Cập nhật, công khai thủ tục trên Cơ sở dữ liệu quốc gia ngay sau khi quyết định "
            "công bố được ký."
        ),
        PROCEDURE,
    ),
    Code.CONTENT_FULL: _e(
        gettext_lazy("Thủ tục công khai có đủ các bộ phận theo Điều 8 Nghị định 63/2010/NĐ-CP."),
        gettext_lazy(
            "Số thủ tục công khai có đủ 7 bộ phận: tên, trình tự, cách thức, thành phần và số "
            "lượng hồ sơ, thời hạn, đối tượng, cơ quan thực hiện"
        ),
        gettext_lazy("Số thủ tục đang công khai"),
        gettext_lazy("Rà soát và bổ sung các bộ phận còn thiếu của từng thủ tục trong danh mục."),
        PROCEDURE,
    ),
    Code.DOSSIER_SYNC: _e(
        gettext_lazy("Hồ sơ tiếp nhận trong kỳ được đồng bộ lên Cổng Dịch vụ công quốc gia."),
        gettext_lazy(
            "Số hồ sơ tiếp nhận trong kỳ đã đồng bộ thành công lên Cổng Dịch vụ công quốc gia"
        ),
        gettext_lazy(
            "Số hồ sơ tiếp nhận trong kỳ theo hệ thống báo cáo quốc gia (hoặc số đã đồng bộ, lấy "
            "số lớn hơn)"
        ),
        gettext_lazy(
            "Kiểm tra các hồ sơ đồng bộ lỗi hoặc chưa đồng bộ và đồng bộ lại; nhập đầy đủ hồ sơ "
            "vào hệ thống ngay khi tiếp nhận."
        ),
        DOSSIER,
    ),
    Code.ON_TIME: _e(
        gettext_lazy("Hồ sơ được giải quyết trước hoặc đúng hạn."),
        gettext_lazy(
            "Số hồ sơ kết thúc xử lý trước hoặc đúng ngày hẹn trả (đã trừ thời gian chờ bổ "
            "sung), cộng hồ sơ còn mở chưa đến hạn tại ngày cuối kỳ; trừ hồ sơ phải bổ sung "
            "nhiều hơn một lần"
        ),
        gettext_lazy("Số hồ sơ tiếp nhận và xử lý trong kỳ, gồm cả hồ sơ kỳ trước chuyển sang"),
        gettext_lazy(
            "Đôn đốc người đang giữ hồ sơ sắp đến hạn; yêu cầu bổ sung một lần, đầy đủ ngay từ "
            "đầu; gia hạn, xin lỗi đúng quy định khi không thể trả đúng hẹn."
        ),
        DOSSIER,
    ),
    Code.PROCESSING_TIME: _e(
        gettext_lazy(
            "Thời gian giải quyết trung bình một hồ sơ (chỉ để theo dõi, không tính điểm)."
        ),
        gettext_lazy("Tổng số ngày giải quyết của các hồ sơ đã hoàn thành"),
        gettext_lazy("Số hồ sơ đã hoàn thành"),
        gettext_lazy("So sánh với thời hạn quy định của thủ tục để tìm khâu xử lý kéo dài."),
        DOSSIER,
    ),
    Code.ONLINE_SERVICES: _e(
        gettext_lazy("Thủ tục thuộc thẩm quyền của đơn vị được cung cấp dịch vụ công trực tuyến."),
        gettext_lazy("Số thủ tục có dịch vụ công trực tuyến một phần hoặc toàn trình"),
        gettext_lazy("Số thủ tục thuộc thẩm quyền giải quyết của đơn vị"),
        gettext_lazy(
            "Đề xuất cung cấp dịch vụ công trực tuyến cho các thủ tục còn lại; đạt 80% trở lên "
            "được điểm tối đa."
        ),
        PROCEDURE,
    ),
    Code.ONLINE_SERVICES_USED: _e(
        gettext_lazy("Dịch vụ công trực tuyến có phát sinh hồ sơ trực tuyến trong kỳ."),
        gettext_lazy("Số dịch vụ công trực tuyến có ít nhất một hồ sơ nộp trực tuyến trong kỳ"),
        gettext_lazy(
            "Số dịch vụ công trực tuyến của đơn vị đang công khai, chờ dừng công khai hoặc đang "
            "kiểm thử"
        ),
        gettext_lazy(
            "Hướng dẫn người dân nộp hồ sơ trực tuyến cho các dịch vụ chưa có hồ sơ; rà soát "
            "dịch vụ không còn phù hợp."
        ),
        SERVICE,
    ),
    Code.ONLINE_SHARE: _e(
        gettext_lazy("Tỷ lệ hồ sơ nộp trực tuyến, nhân với tỷ lệ đồng bộ hồ sơ (chỉ tiêu 1.4)."),
        gettext_lazy(
            "Số hồ sơ nộp trực tuyến trong kỳ, không kể hồ sơ phải trả kết quả giấy mà chưa có "
            "kết quả điện tử"
        ),
        gettext_lazy("Số hồ sơ tiếp nhận trong kỳ"),
        gettext_lazy(
            "Khuyến khích nộp hồ sơ trực tuyến, trả kết quả điện tử và đồng bộ đầy đủ hồ sơ; đạt "
            "50% trở lên được điểm tối đa."
        ),
        DOSSIER,
    ),
    Code.FEE_LIST_SYNCED: _e(
        gettext_lazy(
            "Thủ tục có phí, lệ phí được tích hợp thanh toán trực tuyến trên Cổng Dịch vụ công "
            "quốc gia."
        ),
        gettext_lazy(
            "Số thủ tục có phí có ít nhất một hồ sơ trong kỳ đồng bộ danh sách phí, lệ phí khác 0"
        ),
        gettext_lazy("Số thủ tục có phí, lệ phí trên Cơ sở dữ liệu quốc gia"),
        gettext_lazy(
            "Khai báo đầy đủ phí, lệ phí khi tiếp nhận hồ sơ để danh sách phí được đồng bộ; đạt "
            "80% trở lên được điểm tối đa."
        ),
        PROCEDURE,
    ),
    Code.PAID_ONLINE_PROCEDURES: _e(
        gettext_lazy("Thủ tục có phí, lệ phí có phát sinh giao dịch thanh toán trực tuyến."),
        gettext_lazy("Số thủ tục có phí có ít nhất một hồ sơ thanh toán trực tuyến trong kỳ"),
        gettext_lazy("Số thủ tục có phí, lệ phí"),
        gettext_lazy("Hướng dẫn người dân thanh toán trực tuyến các thủ tục chưa có giao dịch."),
        PROCEDURE,
    ),
    Code.PAID_ONLINE_DOSSIERS: _e(
        gettext_lazy("Hồ sơ có phí, lệ phí được thanh toán trực tuyến."),
        gettext_lazy("Số hồ sơ đã đồng bộ trong kỳ được thanh toán trực tuyến"),
        gettext_lazy("Số hồ sơ của thủ tục có phí, trừ hồ sơ có danh sách phí đều bằng 0"),
        gettext_lazy("Hướng dẫn người dân thanh toán trực tuyến thay vì nộp tiền mặt tại quầy."),
        DOSSIER,
    ),
    Code.E_RESULT: _e(
        gettext_lazy("Hồ sơ phải trả kết quả giấy có kết quả điện tử."),
        gettext_lazy("Số hồ sơ có kết quả giấy đã đồng bộ kết quả điện tử kèm tệp"),
        gettext_lazy("Số hồ sơ đã kết thúc của thủ tục trả kết quả giấy"),
        gettext_lazy("Ký số và đính kèm tệp kết quả điện tử cho mọi hồ sơ trước khi trả kết quả."),
        DOSSIER,
    ),
    Code.DIGITISED: _e(
        gettext_lazy("Hồ sơ được số hóa thành phần và kết quả."),
        gettext_lazy(
            "Số hồ sơ có ít nhất một thành phần đính kèm tệp và có kết quả điện tử khi phải trả "
            "kết quả giấy"
        ),
        gettext_lazy("Số hồ sơ thuộc thẩm quyền của đơn vị trong kỳ"),
        gettext_lazy(
            "Số hóa thành phần hồ sơ khi tiếp nhận tại quầy và đính kèm kết quả điện tử; đạt 80% "
            "trở lên được điểm tối đa."
        ),
        DOSSIER,
    ),
    Code.REUSED_DATA: _e(
        gettext_lazy("Hồ sơ tái sử dụng dữ liệu đã số hóa."),
        gettext_lazy(
            "Số hồ sơ tiếp nhận trong kỳ có ít nhất một thành phần được tái sử dụng từ dữ liệu "
            "số hóa"
        ),
        gettext_lazy("Số hồ sơ tiếp nhận trong kỳ"),
        gettext_lazy(
            "Khai thác giấy tờ đã số hóa thay vì yêu cầu người dân nộp lại; đạt 80% trở lên được "
            "điểm tối đa."
        ),
        DOSSIER,
    ),
    Code.PERSONAL_STORE: _e(
        gettext_lazy(
            "Hồ sơ số hóa liên kết với kho dữ liệu của người dân trên Cổng Dịch vụ công quốc gia."
        ),
        gettext_lazy(
            "Số hồ sơ có thành phần lấy từ kho dữ liệu cá nhân hoặc có kết quả điện tử được đẩy "
            "vào kho"
        ),
        gettext_lazy("Số hồ sơ tiếp nhận trong kỳ"),
        gettext_lazy(
            "Lấy giấy tờ từ kho dữ liệu cá nhân khi tiếp nhận và đẩy kết quả điện tử vào kho của "
            "người dân."
        ),
        DOSSIER,
    ),
    Code.POPULATION_PROCEDURES: _e(
        gettext_lazy("Thủ tục có khai thác dữ liệu dân cư."),
        gettext_lazy(
            "Số thủ tục có ít nhất một hồ sơ khai thác dữ liệu dân cư (VNeID, kho dữ liệu, Cơ sở "
            "dữ liệu quốc gia về dân cư)"
        ),
        gettext_lazy("Số thủ tục có người nộp là cá nhân phát sinh hồ sơ trong kỳ"),
        gettext_lazy("Tra cứu dữ liệu dân cư khi tiếp nhận thay vì yêu cầu bản sao giấy tờ."),
        PROCEDURE,
    ),
    Code.POPULATION_DOSSIERS: _e(
        gettext_lazy("Hồ sơ có khai thác dữ liệu dân cư."),
        gettext_lazy("Số hồ sơ có khai thác dữ liệu dân cư"),
        gettext_lazy("Số hồ sơ tiếp nhận trong kỳ"),
        gettext_lazy(
            "Xác thực người nộp bằng VNeID hoặc tra cứu Cơ sở dữ liệu quốc gia về dân cư khi "
            "tiếp nhận."
        ),
        DOSSIER,
    ),
    Code.CERTIFIED_COPY: _e(
        gettext_lazy("Chứng thực bản sao điện tử từ bản chính."),
        gettext_lazy("Chưa có công thức chính thức"),
        gettext_lazy("Chưa có công thức chính thức"),
        gettext_lazy(
            "Thực hiện chứng thực điện tử đúng quy định; điểm sẽ được tính khi có hướng dẫn "
            "chính thức."
        ),
        DOSSIER,
    ),
    Code.PAKN_BY_TYPE: _e(
        gettext_lazy("Phân loại phản ánh, kiến nghị (chỉ để theo dõi, không tính điểm)."),
        gettext_lazy("Số phản ánh, kiến nghị về quy định hành chính"),
        gettext_lazy("Số phản ánh, kiến nghị tiếp nhận trong kỳ"),
        gettext_lazy("Chuyển phản ánh về quy định đến cơ quan có thẩm quyền sửa đổi."),
        FEEDBACK,
    ),
    Code.PAKN_ON_TIME: _e(
        gettext_lazy("Phản ánh, kiến nghị được xử lý đúng hạn."),
        gettext_lazy(
            "Số phản ánh, kiến nghị xử lý đúng hạn (kể cả phản ánh còn mở chưa quá 15 ngày làm "
            "việc)"
        ),
        gettext_lazy("Số phản ánh, kiến nghị thuộc thẩm quyền của đơn vị"),
        gettext_lazy(
            "Tiếp nhận, phân loại và trả lời phản ánh trong thời hạn; theo dõi phản ánh sắp đến "
            "hạn."
        ),
        FEEDBACK,
    ),
    Code.PAKN_SATISFACTION: _e(
        gettext_lazy("Người dân hài lòng với việc xử lý phản ánh, kiến nghị."),
        gettext_lazy(
            "Số phản ánh, kiến nghị trừ phản ánh bị đánh giá không hài lòng, xử lý trễ hạn hoặc "
            "có phản ánh tiếp về kết quả"
        ),
        gettext_lazy("Số phản ánh, kiến nghị tiếp nhận lần đầu trong kỳ"),
        gettext_lazy("Trả lời đúng hạn, đầy đủ, rõ ràng để người dân không phải phản ánh lại."),
        FEEDBACK,
    ),
    Code.RECEIVING_SATISFACTION: _e(
        gettext_lazy(
            "Mức độ hài lòng trong tiếp nhận, giải quyết hồ sơ: 100% trừ tỷ lệ hồ sơ trễ hạn và "
            "tỷ lệ hồ sơ bị đánh giá không hài lòng hoặc có phản ánh."
        ),
        gettext_lazy("Số hồ sơ sau khi trừ hồ sơ trễ hạn và hồ sơ không hài lòng hoặc có phản ánh"),
        gettext_lazy("Số hồ sơ của chỉ tiêu 2.1"),
        gettext_lazy(
            "Giải quyết đúng hạn và xử lý ngay các đánh giá không hài lòng; đạt 90% trở lên được "
            "điểm tối đa."
        ),
        DOSSIER,
    ),
}

# Shown when a rule set gains a criterion nobody has explained yet (a test
# fails in that case; the page must still not show a blank).
UNKNOWN = _e(
    gettext_lazy("Chỉ tiêu theo bộ chỉ số đang áp dụng."),
    gettext_lazy("Số đạt yêu cầu"),
    gettext_lazy("Tổng số thuộc phạm vi đánh giá"),
    gettext_lazy("Xem danh sách chi tiết để khắc phục."),
    gettext_lazy("mục"),
)


def explanation_for(code: str) -> Explanation:
    return EXPLANATIONS.get(code, UNKNOWN)


def number(value: Decimal | int | float, places: int = 2) -> str:
    """Vietnamese number: whole numbers without decimals, others with ``places``."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return number_format(int(value), 0)
    # number_format truncates; the index rounds half up (indicators-766.md §2).
    return number_format(value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP), places)


@dataclass
class Explained:
    """What a page shows beside one stored criterion result."""

    text: Explanation
    why_lost: str
    no_data: bool = False
    zero_rule: str = ""
    sync_factor: Decimal | None = None
    average_days: Decimal | None = None
    monitoring: bool = False


def zero_rule(criterion, max_points: Decimal) -> str:
    """The rule applied when there is nothing to count (indicators-766.md §2)."""
    if criterion is not None and criterion.zero_denominator == FULL_POLICY:
        return _("Không phát sinh trong kỳ thì được điểm tối đa (%(max)s điểm).") % {
            "max": number(max_points)
        }
    return _("Không phát sinh trong kỳ thì được 0 điểm.")


def sync_factor_of(rows: Iterable) -> Decimal | None:
    """The 1.4 ratio 3.3 is multiplied by (1 when 1.4 has no denominator, as the engine does)."""
    for row in rows:
        if row.code == Code.DOSSIER_SYNC:
            if row.denominator > 0:
                return Decimal(row.numerator) / Decimal(row.denominator)
            return ONE
    return None


@dataclass(frozen=True)
class _Stored:
    code: str
    numerator: Decimal
    denominator: Decimal


def stored_row(result) -> _Stored:
    """A stored ``IndicatorResult`` seen as a row (for ``sync_factor_of``)."""
    return _Stored(result.criterion_code, result.numerator, result.denominator)


def _factor_from_row(row) -> Decimal | None:
    """3.3's factor read back from its stored ratio when the 1.4 row is not at hand."""
    if row.denominator > 0 and row.numerator > 0:
        return (Decimal(row.ratio) / HUNDRED) / (Decimal(row.numerator) / Decimal(row.denominator))
    return None


def _why_lost(row, criterion, explained: Explained, text: Explanation) -> str:
    if explained.monitoring:
        return _("Chỉ tiêu để theo dõi, không tính điểm.")
    if not row.observable:
        return _(
            "Chưa có công thức tính chính thức nên tạm tính 0 điểm; đơn vị không bị trừ vì lỗi "
            "của mình."
        )
    if explained.no_data:
        return _("Không có dữ liệu trong kỳ (0/0). %(rule)s") % {"rule": explained.zero_rule}
    if row.lost <= 0:
        return _("Đạt điểm tối đa.")
    missing = Decimal(row.denominator) - Decimal(row.numerator)
    parts = []
    if row.code == Code.RECEIVING_SATISFACTION:
        parts.append(_("Tỷ lệ hài lòng đạt %(ratio)s%%.") % {"ratio": number(row.ratio)})
        if row.note:
            parts.append(str(row.note) + ".")
    elif missing > 0:
        # Before 3.3's sync factor: the share of the unit's own dossiers.
        ratio = Decimal(row.numerator) * HUNDRED / Decimal(row.denominator)
        parts.append(
            _("Còn %(missing)s/%(total)s %(item)s chưa đạt yêu cầu (đạt %(ratio)s%%).")
            % {
                "missing": number(missing),
                "total": number(row.denominator),
                "item": text.item,
                "ratio": number(ratio),
            }
        )
    if explained.sync_factor is not None and explained.sync_factor < 1:
        parts.append(
            _(
                "Tỷ lệ trực tuyến được nhân với hệ số đồng bộ %(factor)s (chỉ tiêu 1.4) "
                "nên chỉ còn %(ratio)s%%."
            )
            % {"factor": number(explained.sync_factor, 4), "ratio": number(row.ratio)}
        )
    if criterion is not None and criterion.curve == CAP and criterion.threshold:
        parts.append(
            _("Cần đạt %(threshold)s%% để được điểm tối đa.")
            % {"threshold": number(criterion.threshold)}
        )
    elif criterion is not None and criterion.curve == CUSTOM_FACTOR and criterion.factor:
        parts.append(
            _("Điểm bằng %(factor)s × tỷ lệ, tối đa %(max)s điểm.")
            % {"factor": number(criterion.factor), "max": number(row.max_points)}
        )
    parts.append(_("Mất %(lost)s điểm.") % {"lost": number(row.lost)})
    return " ".join(parts)


def explain(row, criterion=None, sync_factor: Decimal | None = None) -> Explained:
    """The explanation of one stored result; ``criterion`` gives its rule
    (curve, threshold, zero-denominator policy), ``sync_factor`` the 1.4 ratio."""
    text = explanation_for(row.code)
    monitoring = (criterion is not None and criterion.curve == MONITORING) or (row.max_points == 0)
    explained = Explained(text=text, why_lost="", monitoring=monitoring)
    explained.no_data = bool(row.observable and not monitoring and row.denominator <= 0)
    explained.zero_rule = zero_rule(criterion, row.max_points)
    if row.code == Code.PROCESSING_TIME and row.denominator > 0:
        # Stored as (total days, finished dossiers): the page shows the average.
        explained.average_days = Decimal(row.numerator) / Decimal(row.denominator)
    if row.code == Code.ONLINE_SHARE:
        explained.sync_factor = sync_factor if sync_factor is not None else _factor_from_row(row)
    explained.why_lost = _why_lost(row, criterion, explained, text)
    return explained


def rows_explain(rows: list, criteria: dict) -> list:
    """Attach ``explained`` to each row (the 3.3 factor taken from the 1.4 row); returns rows."""
    factor = sync_factor_of(rows)
    for row in rows:
        row.explained = explain(row, criteria.get(row.code), factor)
    return rows
