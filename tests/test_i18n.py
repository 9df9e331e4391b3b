import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import strip_tags

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def test_pages_are_dutch_by_default_whatever_the_browser_asks(client, db):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert 'lang="nl"' in html
    assert "Naar de inhoud" in html


def test_the_language_switch_gives_english(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/account/login/"})
    assert response.status_code == 302
    html = client.get(reverse("account_login")).content.decode()
    assert 'lang="en"' in html
    assert "Skip to main content" in html


def test_each_language_is_named_in_its_own_language(client, db):
    """Who reads no Dutch finds "English", not "Engels" (issue 16, item 5)."""
    dutch = client.get(reverse("account_login")).content.decode()
    assert '<option value="en" lang="en">English</option>' in dutch
    client.post(reverse("set_language"), {"language": "en", "next": "/account/login/"})
    english = client.get(reverse("account_login")).content.decode()
    assert '<option value="nl" lang="nl">Nederlands</option>' in english


def parse_po(text):
    """(context, msgid, plural, {index: msgstr}) for each entry of a .po file, header left out."""
    entries, current, key = [], None, None
    for line in text.splitlines() + [""]:
        line = line.strip()
        if not line:
            if current and current["msgid"]:
                entries.append(current)
            current, key = None, None
            continue
        if line.startswith("#"):
            if current is None:
                current = {"ctx": None, "msgid": "", "plural": None, "str": {}, "fuzzy": False}
            current["fuzzy"] |= line.startswith("#,") and "fuzzy" in line
            continue
        if current is None:
            current = {"ctx": None, "msgid": "", "plural": None, "str": {}, "fuzzy": False}
        head, _, rest = line.partition(" ")
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            key, value = head, ast.literal_eval(rest)
        if key == "msgctxt":
            current["ctx"] = (current["ctx"] or "") + value
        elif key == "msgid":
            current["msgid"] += value
        elif key == "msgid_plural":
            current["plural"] = (current["plural"] or "") + value
        else:
            index = int(key[7:-1]) if key.startswith("msgstr[") else 0
            current["str"][index] = current["str"].get(index, "") + value
    return entries


def test_every_text_has_a_dutch_translation_and_the_catalogue_is_compiled():
    entries = parse_po(PO.read_text(encoding="utf-8"))
    assert len(entries) > 100
    untranslated = [e["msgid"] for e in entries if e["fuzzy"] or not all(e["str"].values())]
    assert untranslated == []
    with PO.with_suffix(".mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    for entry in entries:
        msgid = entry["msgid"] if entry["ctx"] is None else f"{entry['ctx']}\x04{entry['msgid']}"
        if entry["plural"] is None:
            assert catalogue.get(msgid) == entry["str"][0], f"run make messages: {msgid!r}"
        else:
            assert catalogue.get((msgid, 0)) == entry["str"][0], f"run make messages: {msgid!r}"


@pytest.mark.django_db
def test_the_start_page_speaks_dutch(login, admin, manager):
    assert "Leden en uitnodigingen" in login(admin).get(reverse("start")).content.decode()
    assert "Kosten en baten" in login(manager).get(reverse("start")).content.decode()


def test_every_text_in_the_code_is_in_the_catalogue(tmp_path):
    """A {% translate %} or gettext() added without `make messages` would show in English."""
    if not shutil.which("xgettext"):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("gettext is required under CI=true")
        pytest.skip("GNU gettext is not installed")
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "staticfiles", "db.sqlite3", "__pycache__"),
    )
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "nl",
            "--no-obsolete",
            "--ignore=tests/*",
            "--ignore=bench/*",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DATABASE_URL": "sqlite:///:memory:"},
    )
    assert result.returncode == 0, result.stderr
    fresh = {e["msgid"] for e in parse_po((copy / PO.relative_to(ROOT)).read_text())}
    committed = {e["msgid"] for e in parse_po(PO.read_text(encoding="utf-8"))}
    assert fresh - committed == set(), "run make messages and translate the new texts"


FORMAL = re.compile(r"\b(u|uw|a\.u\.b\.|alstublieft)\b", re.IGNORECASE)


def visible_text(html: str) -> str:
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", strip_tags(main))


@pytest.mark.django_db
def test_the_password_pages_say_je_never_u(client, login, corporation_worker):
    """Issue 16: Django's Dutch rule for the minimum length said "Uw wachtwoord" between three
    rules with "Je" (Django 5.2 renamed its msgid), and allauth's reset pages say "a.u.b."."""
    pages = {
        "reset": client.get(reverse("account_reset_password")),
        "reset sent": client.get(reverse("account_reset_password_done")),
    }
    client.post(reverse("account_reset_password"), {"email": corporation_worker.user.email})
    key = re.search(r"/account/password/reset/key/\S+/", mail.outbox[-1].body).group(0)
    pages["new password"] = client.get(key, follow=True)
    pages["change"] = login(corporation_worker).get(reverse("account_change_password"))
    pages["change, refused"] = client.post(
        reverse("account_change_password"),
        {"oldpassword": "fout", "password1": "kort", "password2": "anders"},
    )
    for name, response in pages.items():
        text = visible_text(response.content.decode())
        assert not FORMAL.findall(text), (name, FORMAL.findall(text))
    help_text = visible_text(pages["change"].content.decode())
    assert "Je wachtwoord moet minstens 12 tekens bevatten." in help_text
    assert "vraag dan de beheerder van je organisatie om hulp" in visible_text(
        pages["reset sent"].content.decode()
    )
