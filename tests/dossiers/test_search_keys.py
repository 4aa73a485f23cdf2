"""The stored search keys follow the applicant's name, phone and ID number on
every write path, and the database folds exactly as the query side does."""

from __future__ import annotations

import unicodedata

from dossiers.models import Dossier
from dossiers.search_keys import FOLDED_LETTERS, id_key, name_key, phone_key
from dossiers.services.submission import dossier_create_draft, dossier_update_draft
from tests.dossiers.test_online_submission import CITIZEN, province, seeded_province  # noqa: F401

EVERY_LETTER = "".join(letter for letter, _ in FOLDED_LETTERS)


def keys(dossier: Dossier) -> tuple[str, str, str]:
    return Dossier.objects.values_list("search_name", "search_phone", "search_id").get(
        pk=dossier.pk
    )


def test_keys_follow_a_draft_saved_with_update_fields(users, online_procedure):
    # dossier_update_draft saves only the fields it changed: a key kept by the
    # save path would stay empty here.
    draft = dossier_create_draft(actor=users[CITIZEN], procedure=online_procedure)
    dossier_update_draft(
        actor=users[CITIZEN], dossier=draft,
        data={"applicant_name": "  Trần   Thị ĐÀO ", "applicant_phone": "+84 912.345.678",
              "applicant_id_number": "0101234567-001"},
    )  # fmt: skip

    assert keys(draft) == ("tran thi dao", "912345678", "0101234567001")


def test_keys_follow_a_queryset_update(users, online_procedure):
    draft = dossier_create_draft(actor=users[CITIZEN], procedure=online_procedure)
    Dossier.objects.filter(pk=draft.pk).update(
        applicant_name="Lê Văn Ất", applicant_phone="0241 3825 999", applicant_id_number="038 1920"
    )

    assert keys(draft) == ("le van at", "413825999", "0381920")


def test_other_updates_leave_the_keys_alone(users, online_procedure):
    draft = dossier_create_draft(actor=users[CITIZEN], procedure=online_procedure)
    Dossier.objects.filter(pk=draft.pk).update(applicant_name="Phạm Thu Hà")
    Dossier.objects.filter(pk=draft.pk).update(request_content="Cấp bản sao")

    assert keys(draft)[0] == "pham thu ha"


def test_the_database_folds_every_letter_as_python_does(users, online_procedure):
    draft = dossier_create_draft(actor=users[CITIZEN], procedure=online_procedure)
    # Precomposed letters, then the same text decomposed (letters + combining marks).
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hường Đặng Ỷ")
    name = f"{EVERY_LETTER} {decomposed}"
    Dossier.objects.filter(pk=draft.pk).update(applicant_name=name)

    stored = keys(draft)[0]

    assert stored == name_key(name)
    assert stored.endswith("nguyen thi huong dang y")
    assert stored.isascii()


def test_query_side_keys():
    assert name_key("NGUYỄN  văn   an") == "nguyen van an"
    assert phone_key("+84 (912) 345-678") == phone_key("0912345678") == "912345678"
    assert id_key(" 0101234567-001 ") == "0101234567001"
