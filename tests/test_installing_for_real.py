"""README's "Installing for real", followed on an empty database (issue 16, item 2).

The set-up commands are read out of the section itself, so README and this test cannot drift:
copy the example file, the dry run, the run. Then the e-mailed links are followed as the people
would: a password, the authenticator app, and each administrator's start page."""

import io
import re
import shlex
import shutil
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Agreement, SignalCategory
from partners.models import Invitation, Membership, Neighbourhood, Organisation, User

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Een-lang-wachtwoord-voor-Beekveld"
ADMINISTRATOR = "beheer@woonstichting-beekveld.example"
INSTALLER = "installatie@beekveld.example"

pytestmark = pytest.mark.django_db


def readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def shell_lines(section: str) -> list[str]:
    """The commands of the section's sh blocks: continuation lines joined, comments left out."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = " ".join(line.split())
            if line and not line.startswith("#"):
                found.append(line)
    return found


def set_up_steps() -> list[list[str]]:
    steps = [shlex.split(line) for line in shell_lines(readme_section("Installing for real"))]
    return [words for words in steps if "inclusie.yaml" in words]


@pytest.fixture
def run_readme(tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    """Run the section's set-up steps in order in an empty directory; after each, what the
    command said, the organisations and the e-mails sent so far."""
    monkeypatch.chdir(tmp_path)

    def run():
        seen = []
        for words in set_up_steps():
            output = io.StringIO()
            if words[0] == "cp":
                shutil.copy(ROOT / words[1], tmp_path / words[2])
                continue
            assert words[:3] == ["python", "manage.py", "setup_installation"], words
            with django_capture_on_commit_callbacks(execute=True):
                call_command(*words[2:], stdout=output)
            seen.append((words, output.getvalue(), Organisation.objects.count(), len(mail.outbox)))
        return seen

    return run


def test_the_section_names_every_step_of_an_installation():
    section = readme_section("Installing for real")
    for step in (
        "docker/postgres-init/10-inclusie-roles.sh",
        "DATABASE_APP_ROLE=inclusie_app python manage.py migrate",
        "gunicorn inclusie.wsgi:application",
        "celery -A inclusie worker",
        "celery -A inclusie beat",
        "python manage.py access_log_prune",
        "](#environment-variables)",
        "](#two-database-roles)",
        "docs/inclusie.example.yaml",
    ):
        assert step in section, step
    # Every variable the section names is one the list of environment variables explains.
    listed = readme_section("Environment variables")
    for name in set(re.findall(r"`([A-Z][A-Z_]{3,})", section)):
        assert f"| `{name}` |" in listed, name
    words = [w[:3] for w in set_up_steps()]
    assert words[0] == ["cp", "docs/inclusie.example.yaml", "inclusie.yaml"]
    assert ["python", "manage.py", "setup_installation"] in words


def test_the_set_up_file_of_the_readme_makes_the_installation(run_readme):
    (dry, dry_said, dry_organisations, dry_mail), (last, said, _count, sent) = run_readme()
    assert "--dry-run" in dry and "--dry-run" not in last
    assert "Proefdraai" in dry_said and "Nieuwe organisatie: Woonstichting Beekveld" in dry_said
    assert (dry_organisations, dry_mail) == (0, 0), "a dry run saves and sends nothing"

    assert "Nieuwe organisatie: Woonstichting Beekveld (woningcorporatie)" in said
    assert dict(Organisation.objects.values_list("name", "kind")) == {
        "Woonstichting Beekveld": "corporatie",
        "Welzijn Beekveld": "welzijn",
        "Zorggroep De Beek": "zorg",
        "Gemeente Beekveld": "gemeente",
    }
    buurt = Neighbourhood.objects.get(cbs_code="BU99020202")
    assert (buurt.name, buurt.kind, buurt.municipality) == ("Vogelbuurt", "buurt", "Beekveld")
    assert buurt.parent.cbs_code == "WK990202"
    assert Neighbourhood.objects.filter(cbs_code__startswith="WK9902").count() == 2
    assert SignalCategory.objects.get(code="mantelzorg").position == 55
    welfare = Agreement.objects.get(second__name="Welzijn Beekveld")
    assert welfare.first.name == "Woonstichting Beekveld" and welfare.response_days == 5
    assert sorted(c.code for c in welfare.categories.all()) == [
        "eenzaamheid",
        "mantelzorg",
        "overlast",
        "taal-digitaal",
    ]
    installer = User.objects.get(email=INSTALLER)
    assert installer.is_installation_admin and not installer.has_usable_password()

    assert sent == 5 == len(mail.outbox)
    invitations = {m.to[0]: m for m in mail.outbox if "/uitnodiging/" in m.body}
    assert len(invitations) == 4
    assert "Iris Installatie nodigt je uit" in invitations[ADMINISTRATOR].body
    assert set(Invitation.objects.values_list("invited_by__email", flat=True)) == {INSTALLER}
    for message in mail.outbox:
        page = Client().get(urlparse(link_in(message)).path, follow=True)
        assert page.status_code == 200, message.to


def test_a_second_run_changes_nothing_and_sends_nothing(
    run_readme, django_capture_on_commit_callbacks
):
    run_readme()
    sent = len(mail.outbox)
    words = set_up_steps()[-1]
    output = io.StringIO()
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        call_command(*words[2:], stdout=output)
    assert "Niets veranderd" in output.getvalue()
    writes = [
        q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")
    ]
    assert writes == []
    assert callbacks == [] and len(mail.outbox) == sent


@override_settings(MFA_REQUIRED=True)
def test_the_first_administrator_follows_the_invitation_to_the_start_page(run_readme, client):
    run_readme()
    invitation = next(m for m in mail.outbox if m.to == [ADMINISTRATOR])
    path = urlparse(link_in(invitation)).path
    assert "Joost Bakker" in client.get(path).content.decode()
    response = client.post(
        path, {"name": "Joost Bakker", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email=ADMINISTRATOR)
    assert membership.role == Membership.Role.BEHEERDER
    assert membership.organisation.name == "Woonstichting Beekveld"

    secret = authenticator_set_up(client)
    start = client.get(reverse("start"))
    assert_administrator_start(start)

    client.post(reverse("account_logout"))
    response = client.post(reverse("account_login"), {"login": ADMINISTRATOR, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert_administrator_start(client.get(response["Location"], follow=True))


@override_settings(MFA_REQUIRED=True)
def test_the_installation_administrator_chooses_a_password_and_signs_in(run_readme, client):
    run_readme()
    message = next(m for m in mail.outbox if m.to == [INSTALLER])
    assert "installatiebeheerder" in message.subject
    form = client.get(urlparse(link_in(message)).path, follow=True)
    assert form.status_code == 200
    action = form.redirect_chain[-1][0] if form.redirect_chain else form.request["PATH_INFO"]
    response = client.post(action, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(email=INSTALLER).check_password(PASSWORD)

    response = client.post(reverse("account_login"), {"login": INSTALLER, "password": PASSWORD})
    assert response.status_code == 302
    authenticator_set_up(client)
    start = client.get(reverse("start"))
    assert start.status_code == 200
    html = start.content.decode()
    assert reverse("cases:category_list") in html
    assert "Je bent geen lid van een organisatie" not in html


# --- helpers -----------------------------------------------------------------------------------


def link_in(message) -> str:
    return re.search(r"https?://\S+/(?:uitnodiging|account/password/reset/key)/\S+/", message.body)[
        0
    ]


def current_code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def authenticator_set_up(client) -> str:
    """With MFA required, the first page after signing in is setting up the app: confirm the
    password, scan the secret, type a code. Returns the secret."""
    assert client.get(reverse("start"))["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    if page.status_code == 302:  # allauth asks for the password once more first
        client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200, page.get("Location")
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    return secret


def assert_administrator_start(page):
    assert page.status_code == 200
    html = page.content.decode()
    assert "Je bent geen lid van een organisatie" not in html
    assert reverse("partners:member_list") in html
    assert reverse("referrals:agreements") in html
