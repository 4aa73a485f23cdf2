"""import_procedures / export_procedures commands, and immutability of published versions."""

from __future__ import annotations

import copy
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from portal_site.demo import seed_agencies
from procedures.models import Field, Procedure, ProcedureVersion, VersionStatus
from procedures.services import ProcedureError
from procedures.services.versions import version_update
from tests.factories import StaffFactory
from tthc_portal.audit.models import AuditEvent
from tthc_portal.text import fold

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.TTHC["PROCEDURES_SAMPLE_FILE"])


@pytest.fixture(scope="module")
def sample_rows() -> list[dict]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))["procedures"]


@pytest.fixture
def agencies():
    return seed_agencies()


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def import_sample(*extra: str) -> str:
    return run("import_procedures", str(SAMPLE), "--publish-new", *extra)


def key(row: dict) -> str:
    return row.get("code") or row["name"]


def write_json(path: Path, rows) -> Path:
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


def test_importing_the_sample_publishes_every_procedure(agencies, sample_rows):
    # Every row of the sample is a distinct procedure (by code, or by name without one).
    expected = len({key(row) for row in sample_rows})
    assert expected == len(sample_rows) == 63

    out = import_sample()

    assert f"Thủ tục mới: {expected}" in out
    assert "Không thay đổi: 0" in out
    assert "Lỗi: 0" in out
    assert Procedure.objects.count() == expected
    current = ProcedureVersion.objects.filter(pk__in=Procedure.objects.values("current_version"))
    assert current.count() == expected
    assert set(current.values_list("status", flat=True)) == {VersionStatus.PUBLISHED}
    by_code = {p.localised_code: p for p in Procedure.objects.select_related("current_version")}
    for row in sample_rows:
        if row.get("code"):
            assert by_code[row["code"]].current_version.name == row["name"].strip()


def test_importing_the_same_file_again_changes_nothing(agencies, sample_rows):
    import_sample()
    versions = dict(ProcedureVersion.objects.values_list("pk", "content_hash"))

    out = import_sample()

    assert f"Không thay đổi: {len(sample_rows)}" in out
    assert "Thủ tục mới: 0" in out
    assert "nội dung thay đổi): 0" in out
    assert dict(ProcedureVersion.objects.values_list("pk", "content_hash")) == versions


def test_a_changed_row_becomes_a_draft_and_the_published_version_stays(
    agencies, sample_rows, tmp_path
):
    import_sample()
    procedure = Procedure.objects.get(code="1.004122")
    published = procedure.current_version
    before = (published.pk, published.time_limit, published.content_hash, published.updated_at)
    assert published.time_limit == Decimal(22)

    rows = copy.deepcopy(sample_rows)
    row = next(r for r in rows if r.get("code") == "1.004122")
    row["processing_time"]["value"] = 20
    out = run("import_procedures", str(write_json(tmp_path / "changed.json", {"procedures": rows})))

    assert "nội dung thay đổi): 1" in out
    assert f"Không thay đổi: {len(rows) - 1}" in out
    procedure.refresh_from_db()
    assert procedure.current_version_id == published.pk
    published.refresh_from_db()
    assert before == (
        published.pk,
        published.time_limit,
        published.content_hash,
        published.updated_at,
    )
    assert published.status == VersionStatus.PUBLISHED
    draft = procedure.versions.get(number=2)
    assert draft.status == VersionStatus.DRAFT
    assert draft.time_limit == Decimal(20)
    assert draft.name == published.name

    # The same changed file again: the draft already carries it.
    out = run("import_procedures", str(tmp_path / "changed.json"))
    assert f"Không thay đổi: {len(rows)}" in out
    assert procedure.versions.count() == 2


CSV_TEXT = (
    "code,name,field,level,implementing_agency,time_value,time_unit,fee_vnd,online_fee_vnd,"
    "online_level,channels,legal_basis,components,result,boundary_free\n"
    "2.000884.000.00.00.H61,Chứng thực bản sao từ bản chính,Chứng thực,xã,UBND cấp xã,"
    "1,working_days,2000,,,in_person | online,Nghị định 23/2015/NĐ-CP,"
    "Bản chính giấy tờ | Bản sao cần chứng thực,Bản sao được chứng thực,true\n"
    '1.001193,Đăng ký khai sinh,Hộ tịch,xã,UBND cấp xã,"0,5",working_days,,,full,'
    "online,Luật Hộ tịch 2014,Tờ khai đăng ký khai sinh,Giấy khai sinh,\n"
)


def test_csv_import_of_a_small_file(agencies, tmp_path):
    path = tmp_path / "danh-muc.csv"
    path.write_text(CSV_TEXT, encoding="utf-8-sig")

    out = run("import_procedures", str(path), "--publish-new")

    assert "Thủ tục mới: 2" in out
    copy_procedure = Procedure.objects.get(code="2.000884")
    assert copy_procedure.code_suffix == "000.00.00.H61"
    version = copy_procedure.current_version
    assert version.name == "Chứng thực bản sao từ bản chính"
    assert version.field.name == "Chứng thực"
    assert version.level == "commune"
    assert version.time_limit == Decimal(1)
    assert version.boundary_free
    assert version.channel_online and version.channel_in_person
    assert [f.amount_vnd for f in version.fees.all()] == [2000]
    assert [c.name for c in version.components.all()] == [
        "Bản chính giấy tờ",
        "Bản sao cần chứng thực",
    ]
    assert [lb.title for lb in version.legal_bases.all()] == ["Nghị định 23/2015/NĐ-CP"]
    birth = Procedure.objects.get(code="1.001193").current_version
    assert birth.time_limit == Decimal("0.5")
    assert birth.online_level == "full"

    # Without --publish-new a new procedure waits as a draft, outside the catalogue.
    path.write_text(CSV_TEXT.replace("1.001193", "1.001194"), encoding="utf-8")
    out = run("import_procedures", str(path), "--format", "csv")
    assert "Thủ tục mới: 1" in out
    assert Procedure.objects.get(code="1.001194").current_version is None


def _wipe_catalogue() -> None:
    Procedure.objects.update(current_version=None)
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    Field.objects.all().delete()


def _snapshot() -> dict[str, dict]:
    versions = (
        ProcedureVersion.objects.filter(pk__in=Procedure.objects.values("current_version"))
        .select_related("procedure", "field")
        .prefetch_related("fees", "components", "steps", "legal_bases")
    )
    return {
        v.procedure.localised_code or v.name: {
            "name": v.name,
            "field": v.field.name,
            "level": v.level,
            "online_level": v.online_level,
            "time": (v.time_kind, v.time_limit, v.time_unit, v.time_text, v.cutoff_time),
            "fees": [(f.name, f.amount_vnd, f.online_amount_vnd) for f in v.fees.all()],
            "components": [(c.order, c.name, c.copy_kind, c.count) for c in v.components.all()],
            "steps": [
                (s.order, s.name, s.actor_text, s.actor_role, s.budget, s.counted)
                for s in v.steps.all()
            ],
            "legal_bases": [lb.title for lb in v.legal_bases.all()],
            "result": v.result_text,
            "boundary_free": v.boundary_free,
        }
        for v in versions
    }


def test_export_then_import_into_an_empty_catalogue_round_trips(agencies, tmp_path):
    import_sample()
    before = _snapshot()
    assert any(entry["steps"] for entry in before.values())
    assert any(len(entry["fees"]) > 1 for entry in before.values())
    assert any(entry["components"] for entry in before.values())

    target = tmp_path / "export.json"
    out = run("export_procedures", "-o", str(target))
    assert f"Đã xuất {len(before)} thủ tục" in out
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert exported["count"] == len(before)

    _wipe_catalogue()
    out = run("import_procedures", str(target), "--publish-new")

    assert f"Thủ tục mới: {len(before)}" in out
    assert _snapshot() == before


def test_csv_export_reimports_names_codes_and_times(agencies, tmp_path):
    import_sample()
    before = {code: (entry["name"], entry["time"][1]) for code, entry in _snapshot().items()}
    target = tmp_path / "export.csv"
    run("export_procedures", "--format", "csv", "-o", str(target))
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM, for Excel

    _wipe_catalogue()
    out = run("import_procedures", str(target), "--publish-new")

    assert f"Thủ tục mới: {len(before)}" in out
    after = {code: (entry["name"], entry["time"][1]) for code, entry in _snapshot().items()}
    assert after == before


def test_export_to_stdout_is_json_in_the_sample_shape(agencies):
    import_sample()
    body = json.loads(run("export_procedures"))
    assert body["count"] == 63
    row = next(r for r in body["procedures"] if r["code"] == "1.004122")
    assert row["processing_time"]["value"] == 22
    assert row["fee"]["amount_vnd"] == 1400000
    assert row["fee"]["online_amount_vnd"] == 700000


def test_a_bare_list_is_accepted(agencies, sample_rows, tmp_path):
    path = write_json(tmp_path / "list.json", sample_rows[:3])
    assert "Thủ tục mới: 3" in run("import_procedures", str(path))


def test_malformed_json_gives_a_readable_error(agencies, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "procedures": [\n    {"name": "A",}\n  ]\n}\n', encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run("import_procedures", str(path))
    message = str(error.value)
    assert "không phải JSON hợp lệ" in message
    assert "dòng 3" in message
    assert not Procedure.objects.exists()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('{"items": []}', "danh sách thủ tục"),
        ('"text"', "danh sách thủ tục"),
        ('[{"name": "A"}, 3]', "Thủ tục thứ 2"),
    ],
)
def test_wrong_json_shape_is_refused(agencies, tmp_path, content, fragment):
    path = tmp_path / "shape.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=fragment):
        run("import_procedures", str(path))


def test_unreadable_files_are_refused(agencies, tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        run("import_procedures", str(tmp_path / "missing.json"))
    latin = tmp_path / "latin.json"
    latin.write_bytes('[{"name": "Đăng ký"}]'.encode("utf-16"))
    with pytest.raises(CommandError, match="UTF-8"):
        run("import_procedures", str(latin))
    no_name = tmp_path / "no-name.csv"
    no_name.write_text("code,field\n1.000001,Hộ tịch\n", encoding="utf-8")
    with pytest.raises(CommandError, match="thiếu cột: name"):
        run("import_procedures", str(no_name))


def test_bad_rows_are_reported_and_the_command_fails(agencies, tmp_path):
    path = write_json(
        tmp_path / "rows.json",
        [{"code": "not-a-code", "name": "Sai mã"}, {"code": "1.000002", "name": "Đúng"}],
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="Có 1 dòng lỗi"):
        call_command("import_procedures", str(path), stdout=out, stderr=err)
    assert "Thủ tục mới: 1" in out.getvalue()
    assert "Dòng 1 (not-a-code)" in err.getvalue()
    assert Procedure.objects.filter(code="1.000002").exists()


def test_import_records_the_acting_user(agencies, sample_rows, tmp_path):
    path = write_json(tmp_path / "one.json", sample_rows[:1])
    with pytest.raises(CommandError, match="Không có tài khoản"):
        run("import_procedures", str(path), "--user", "khong-ton-tai")
    user = StaffFactory()
    run("import_procedures", str(path), "--user", user.username)
    event = AuditEvent.objects.get(action="procedures.import")
    assert event.actor_id == user.pk
    assert ProcedureVersion.objects.get().created_by_id == user.pk


def test_import_needs_the_agency_tree(tmp_path, sample_rows):
    path = write_json(tmp_path / "one.json", sample_rows[:1])
    with pytest.raises(CommandError, match="cơ quan gốc"):
        run("import_procedures", str(path))


def test_published_versions_are_immutable(agencies):
    import_sample()
    version = Procedure.objects.get(code="1.004122").current_version
    admin = StaffFactory(is_superuser=True, is_staff=True)

    with pytest.raises(ProcedureError) as refused:
        version_update(actor=admin, version=version, content={"time_limit": Decimal(20)})
    assert "Chỉ sửa được phiên bản ở trạng thái dự thảo" in refused.value.message

    version.time_limit = Decimal(20)
    with pytest.raises(ValueError, match="immutable"):
        version.save()
    with pytest.raises(ValueError, match="immutable"):
        version.save(update_fields=["time_limit"])
    version.refresh_from_db()
    assert version.time_limit == Decimal(22)
    assert version.search_text == fold(version.search_text)
