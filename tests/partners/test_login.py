import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def log_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def current_code(secret):
    counter = int(time.time()) // 30
    return format_hotp_value(hotp_value(secret, counter))


def test_login_is_by_email_and_lands_on_the_start_page(client, corporation_worker, password):
    response = log_in(client, "WoonConsulent@Test.Example", password)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Huisbezoek registreren" in page.content.decode()


def test_a_wrong_password_says_so_in_dutch(client, corporation_worker):
    response = log_in(client, corporation_worker.user.email, "fout-wachtwoord")
    assert response.status_code == 200
    assert "niet correct" in response.content.decode()
    assert 'value="woonconsulent@test.example"' in response.content.decode()


def test_sign_up_is_closed(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "iemand@test.example", "password1": "x" * 20, "password2": "x" * 20},
    )
    from partners.models import User

    assert not User.objects.filter(email="iemand@test.example").exists()
    assert response.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in response.templates]


def test_failed_logins_are_rate_limited_in_redis(
    client, corporation_worker, password, requires_redis
):
    import redis

    for _ in range(5):
        log_in(client, corporation_worker.user.email, "fout-wachtwoord")
    response = log_in(client, corporation_worker.user.email, password)
    assert response.status_code in (200, 429)
    assert not response.wsgi_request.user.is_authenticated
    assert "te veel" in response.content.decode().lower()
    keys = redis.Redis.from_url(settings.REDIS_URL).keys("*login_failed*")
    assert keys, "the counter lives in Redis, shared by every web process"


def test_one_persons_typos_lock_only_their_own_account(
    client, corporation_worker, welfare_worker, password, requires_redis
):
    """Two people behind one office address: five wrong passwords of one lock that account,
    not the colleague's (issue 15, item 7)."""
    from django.test import Client

    for _ in range(5):
        log_in(client, corporation_worker.user.email, "fout-wachtwoord")
    locked = log_in(client, corporation_worker.user.email, password)
    assert not locked.wsgi_request.user.is_authenticated
    colleague = Client(REMOTE_ADDR=client.defaults.get("REMOTE_ADDR", "127.0.0.1"))
    response = log_in(colleague, welfare_worker.user.email, password)
    assert response.wsgi_request.user.is_authenticated


def test_guessing_across_accounts_from_one_address_still_stops(
    client, corporation_worker, password, requires_redis
):
    """The address limit (30 in 5 minutes by default) is higher, not gone."""
    from tests.factories import MembershipFactory

    others = [MembershipFactory(organisation=corporation_worker.organisation) for _ in range(8)]
    for other in others:
        for _ in range(4):
            log_in(client, other.user.email, "fout-wachtwoord")
    response = log_in(client, corporation_worker.user.email, password)
    assert not response.wsgi_request.user.is_authenticated
    assert "te veel" in response.content.decode().lower()


def test_password_reset_sends_a_mail(client, corporation_worker):
    response = client.post(
        reverse("account_reset_password"), {"email": corporation_worker.user.email}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/account/password/reset/key/" in mail.outbox[0].body


@override_settings(MFA_REQUIRED=True)
def test_without_an_authenticator_every_page_leads_to_setting_one_up(login, corporation_worker):
    client = login(corporation_worker)
    response = client.get(reverse("start"))
    assert response["Location"] == reverse("mfa_activate_totp")
    # allauth asks a forced login to confirm the password before it shows the QR code
    page = client.get(reverse("mfa_activate_totp"), follow=True)
    assert page.status_code == 200
    assert page.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))


@override_settings(MFA_REQUIRED=True)
def test_setting_up_totp_then_logging_in_with_a_code(client, corporation_worker, password):
    user = corporation_worker.user
    log_in(client, user.email, password)
    assert client.get(reverse("start"))["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password once more before it shows the secret
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(
        reverse("account_reauthenticate")
    )
    client.post(reverse("account_reauthenticate"), {"password": password})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200, page.get("Location")
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get(reverse("start")).status_code == 200

    deactivate = client.post(reverse("mfa_deactivate_totp"))
    assert deactivate.status_code == 200, "with MFA required the app cannot be switched off"
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    client.logout()
    response = log_in(client, user.email, password)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not client.get(reverse("start")).wsgi_request.user.is_authenticated
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("start")).status_code == 200


@override_settings(MFA_REQUIRED=True)
def test_a_person_with_totp_reaches_pages(login, corporation_worker):
    TOTP.activate(corporation_worker.user, generate_totp_secret())
    assert login(corporation_worker).get(reverse("start")).status_code == 200


def test_logout_is_a_post_and_ends_the_session(login, corporation_worker):
    client = login(corporation_worker)
    assert client.get(reverse("start")).status_code == 200
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get(reverse("start"))["Location"].startswith(reverse("account_login"))


def test_password_reset_from_the_mailed_link(client, corporation_worker):
    client.post(reverse("account_reset_password"), {"email": corporation_worker.user.email})
    link = re.search(r"http\S+/account/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    new = "een-nieuw-lang-wachtwoord"
    response = client.post(action, {"password1": new, "password2": new})
    assert response.status_code == 302
    corporation_worker.user.refresh_from_db()
    assert corporation_worker.user.check_password(new)
    assert log_in(client, corporation_worker.user.email, new).status_code == 302


def test_a_too_short_new_password_is_refused_in_dutch(client, corporation_worker):
    client.post(reverse("account_reset_password"), {"email": corporation_worker.user.email})
    link = re.search(r"http\S+/account/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    action = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(action, {"password1": "kort", "password2": "kort"})
    assert "te kort" in response.content.decode()


@override_settings(MFA_REQUIRED=True)
def test_login_with_a_recovery_code_when_the_phone_is_gone(client, corporation_worker, password):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = corporation_worker.user
    TOTP.activate(user, generate_totp_secret())
    code = RecoveryCodes.activate(user).get_unused_codes()[0]
    assert log_in(client, user.email, password)["Location"] == reverse("mfa_authenticate")
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get(reverse("start")).status_code == 200
    client.logout()
    log_in(client, user.email, password)
    reused = client.post(reverse("mfa_authenticate"), {"code": code})
    assert reused.status_code == 200, "a recovery code works once"


@override_settings(MFA_REQUIRED=True)
def test_a_removed_authenticator_counts_at_once(login, corporation_worker):
    TOTP.activate(corporation_worker.user, generate_totp_secret())
    client = login(corporation_worker)
    assert client.get(reverse("start")).status_code == 200
    Authenticator.objects.filter(user=corporation_worker.user).delete()
    assert client.get(reverse("start"))["Location"] == reverse("mfa_activate_totp")
