"""Vietnamese by default, English on request, and an English catalogue that is
complete and in step with the Vietnamese source strings.

Source strings (msgids) are Vietnamese; locale/en/LC_MESSAGES/django.po is the
only catalogue we maintain. Refresh it with ``scripts/update-translations``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from tests.conftest import require
from tests.factories import AgencyFactory, make_staff
from tthc_portal.accounts.roles import Role
from tthc_portal.web.views import ROLE_HOMES

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
EN_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
UPDATE_SCRIPT = BASE_DIR / "scripts" / "update-translations"
HOME_HEADING_VI = "Dịch vụ công trực tuyến"
HTML_LANG = re.compile(r'<html lang="([a-z-]+)"')
# %(name)s from gettext and blocktranslate; {name} in str.format() texts.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%%|\{\w+\}")
JS_GETTEXT = re.compile(r"\b(?:n|p|np)?gettext\(|\binterpolate\(")


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogues() -> Iterator[None]:
    """Compile .po → .mo as `make run` does, and make Django reload them."""
    call_command("compile_translations", verbosity=0)
    trans_real._translations = {}
    trans_real._default = None
    yield


def english(msgid: str) -> str:
    with translation.override("en"):
        return translation.gettext(msgid)


def html_lang(content: str) -> str:
    match = HTML_LANG.search(content)
    assert match, "the page has no <html lang=…>"
    return match.group(1)


def set_language(client: Client, code: str, next_url: str = "/") -> None:
    response = client.post(reverse("set_language"), {"language": code, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url


def po_files() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


def entry_key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


# --- language selection -------------------------------------------------------


@pytest.mark.django_db
def test_home_is_vietnamese_without_accept_language(client: Client) -> None:
    response = client.get("/")
    content = response.content.decode()
    assert response.status_code == 200
    assert html_lang(content) == "vi"
    assert HOME_HEADING_VI in content
    assert "Bỏ qua đến nội dung chính" in content  # the skip link
    # The switch offers English, labelled in English.
    assert 'name="language" value="en"' in content
    assert 'lang="en">English</button>' in content


@pytest.mark.django_db
def test_unsupported_browser_language_falls_back_to_vietnamese(client: Client) -> None:
    content = client.get("/", headers={"accept-language": "fr-FR,fr;q=0.9"}).content.decode()
    assert html_lang(content) == "vi"
    assert HOME_HEADING_VI in content


@pytest.mark.django_db
def test_switching_to_english_and_back(client: Client) -> None:
    heading_en = english(HOME_HEADING_VI)
    assert heading_en == "Online public services"

    set_language(client, "en")
    content = client.get("/").content.decode()
    assert html_lang(content) == "en"
    assert heading_en in content
    assert HOME_HEADING_VI not in content
    assert english("Bỏ qua đến nội dung chính") in content
    # Now the switch offers Vietnamese, labelled in Vietnamese.
    assert 'name="language" value="vi"' in content
    assert 'lang="vi">Tiếng Việt</button>' in content

    set_language(client, "vi")
    content = client.get("/").content.decode()
    assert html_lang(content) == "vi"
    assert HOME_HEADING_VI in content
    assert heading_en not in content


@pytest.mark.django_db
def test_switch_returns_to_the_page_it_was_used_on(client: Client) -> None:
    login_url = reverse("accounts:login")
    set_language(client, "en", next_url=login_url)
    content = client.get(login_url).content.decode()
    assert html_lang(content) == "en"
    assert english("Mật khẩu") == "Password"
    assert "Password" in content


@pytest.mark.django_db
def test_staff_home_heading_and_role_are_translated(client: Client) -> None:
    user = make_staff(Role.SPECIALIST, AgencyFactory(name="Sở Tư pháp"))
    client.force_login(user)
    _, heading_vi, lead_vi = next(entry for entry in ROLE_HOMES if entry[0] == Role.SPECIALIST)
    with translation.override("vi"):
        heading_vi, lead_vi = str(heading_vi), str(lead_vi)
        role_vi = str(Role.SPECIALIST.label)

    content = client.get(reverse("web:dashboard")).content.decode()
    assert heading_vi in content
    assert role_vi in content

    set_language(client, "en", next_url=reverse("web:dashboard"))
    content = client.get(reverse("web:dashboard")).content.decode()
    for vietnamese in (heading_vi, lead_vi, role_vi):
        assert english(vietnamese) != vietnamese
        assert english(vietnamese) in content
        assert vietnamese not in content


# --- the catalogue --------------------------------------------------------------


def test_english_catalogue_exists_and_declares_its_plural_forms() -> None:
    assert EN_PO.exists(), "run scripts/update-translations"
    po = polib.pofile(str(EN_PO))
    assert po.metadata.get("Language") == "en"
    assert po.metadata.get("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert po.metadata.get("Content-Type") == "text/plain; charset=UTF-8"
    # A fuzzy header is dropped by msgfmt, and the plural forms with it.
    assert not po.metadata_is_fuzzy
    assert len(po) > 100


@pytest.mark.parametrize("po_path", po_files(), ids=lambda p: str(p.relative_to(LOCALE_DIR)))
def test_every_entry_is_translated_and_not_fuzzy(po_path: Path) -> None:
    po = polib.pofile(str(po_path))
    nplurals = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
    problems: list[str] = []
    for entry in po:
        if entry.obsolete:
            problems.append(f"obsolete: {entry.msgid!r}")
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        if entry.msgid_plural:
            forms = [entry.msgstr_plural.get(i, "") for i in range(nplurals)]
            if not all(form.strip() for form in forms):
                problems.append(f"plural not translated: {entry.msgid!r}")
        elif not entry.msgstr.strip():
            problems.append(f"not translated: {entry.msgid!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("po_path", po_files(), ids=lambda p: str(p.relative_to(LOCALE_DIR)))
def test_translations_keep_every_placeholder(po_path: Path) -> None:
    problems: list[str] = []
    for entry in polib.pofile(str(po_path)):
        expected = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            found = sorted(PLACEHOLDER.findall(text))
            # A singular form may spell the number out, but never invent one.
            ok = set(found) <= set(expected) if entry.msgid_plural else found == expected
            if not ok:
                problems.append(f"{entry.msgid!r} → {text!r}: {found} instead of {expected}")
    assert not problems, "\n".join(problems)


def test_catalogue_passes_msgfmt_check() -> None:
    msgfmt = shutil.which("msgfmt")
    require(msgfmt is not None, "needs GNU gettext (apt-get install gettext)")
    for po_path in po_files():
        result = subprocess.run(
            [msgfmt, "--check", "--output-file=/dev/null", str(po_path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr


def _script_ignores() -> list[str]:
    """The --ignore patterns of scripts/update-translations: one list to keep."""
    text = UPDATE_SCRIPT.read_text(encoding="utf-8")
    match = re.search(r"^IGNORES=\((.*)\)$", text, re.MULTILINE)
    assert match, "scripts/update-translations lost its IGNORES=(…) line"
    return [arg.removeprefix("--ignore=") for arg in match.group(1).split()]


def _domains() -> list[str]:
    domains = ["django"]
    js_has_strings = any(
        JS_GETTEXT.search(path.read_text(encoding="utf-8"))
        for path in (BASE_DIR / "static" / "js").rglob("*.js")
    )
    if js_has_strings or (LOCALE_DIR / "en" / "LC_MESSAGES" / "djangojs.po").exists():
        domains.append("djangojs")
    return domains


def test_update_script_is_executable_and_uses_the_project_flags() -> None:
    assert os.access(UPDATE_SCRIPT, os.X_OK)
    text = UPDATE_SCRIPT.read_text(encoding="utf-8")
    assert "makemessages -l en --no-obsolete" in text
    assert "compile_translations" in text
    assert {".venv", "var", "tests", "benchmarks"} <= set(_script_ignores())


def test_catalogue_is_up_to_date_with_the_source(tmp_path: Path) -> None:
    """makemessages on a copy of the tree finds no msgid the committed .po lacks.

    The copy has its own settings module whose LOCALE_PATHS points into the
    copy, so the committed catalogue is never written to.
    """
    require(shutil.which("xgettext") is not None, "needs GNU gettext (apt-get install gettext)")
    ignores = _script_ignores()
    tree = tmp_path / "tree"

    def skip(directory: str, names: list[str]) -> set[str]:
        patterns = [*ignores, ".*", "__pycache__", "*.egg-info", "*.mo", "*.pot"]
        return set().union(*(shutil.ignore_patterns(p)(directory, names) for p in patterns))

    shutil.copytree(BASE_DIR, tree, ignore=skip, symlinks=True)
    (tree / "i18n_check_settings.py").write_text(
        "from pathlib import Path\n"
        "from tthc_portal.settings.base import *  # noqa: F403\n"
        "LOCALE_PATHS = [Path(__file__).resolve().parent / 'locale']\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "i18n_check_settings",
        "PYTHONPATH": str(tree),
        "TTHC_VAR_DIR": str(tmp_path / "var"),
    }
    committed = {
        domain: LOCALE_DIR / "en" / "LC_MESSAGES" / f"{domain}.po" for domain in _domains()
    }
    before = {domain: path.read_bytes() for domain, path in committed.items() if path.exists()}
    for domain in committed:
        extra = ["--ignore=static/vendor", "--ignore=*.min.js"] if domain == "djangojs" else []
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "django",
                "makemessages",
                "-d",
                domain,
                "-l",
                "en",
                "--no-obsolete",
                *(f"--ignore={pattern}" for pattern in ignores),
                *extra,
            ],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr

    for domain, path in committed.items():
        # The committed files are untouched.
        assert before.get(domain) == (path.read_bytes() if path.exists() else None)
        assert path.exists(), f"{path} is missing: run scripts/update-translations"
        fresh_path = tree / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
        fresh = {entry_key(e) for e in polib.pofile(str(fresh_path)) if not e.obsolete}
        current = {entry_key(e) for e in polib.pofile(str(path)) if not e.obsolete}
        missing = sorted(fresh - current)
        stale = sorted(current - fresh)
        assert not missing, (
            f"{len(missing)} source string(s) missing from {path.name}: run "
            f"scripts/update-translations and translate them: {missing[:20]}"
        )
        assert not stale, (
            f"{len(stale)} entry(ies) of {path.name} no longer in the source: run "
            f"scripts/update-translations: {stale[:20]}"
        )
