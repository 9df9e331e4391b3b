"""Sign-in through the organisation's identity provider (ADR 0021), end to end against a real
OpenID Connect provider on this machine (tests/identity_provider.py): the test client plays the
browser, the provider's authorisation page is answered over HTTP, and Inclusie's callback
exchanges the code for tokens at the provider itself."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.test import override_settings
from django.urls import reverse

from cases.models import AccessLog
from partners.actor import SESSION_KEY
from partners.models import Invitation, Membership, Session, User
from partners.services.memberships import invitation_create
from partners.sessions import LAST_SEEN_KEY, STARTED_KEY

pytestmark = pytest.mark.django_db


def sign_in(client, provider, sub, *, next_page=None):
    """Press "Aanmelden met ...", log in at the provider as `sub`, come back to Inclusie."""
    data = {"next": next_page} if next_page else {}
    to_provider = client.post(provider.login_url, data)
    assert to_provider.status_code == 302
    assert to_provider["Location"].startswith(provider.url)
    return client.get(provider.path_of(provider.authorise(to_provider["Location"], sub)))


def nothing_of_the_provider_is_stored():
    return not SocialAccount.objects.exists() and not SocialToken.objects.exists()


def test_a_member_signs_in_and_lands_on_the_start_page(
    client, identity_provider, corporation_worker, household
):
    sub = identity_provider.add_person(corporation_worker.user.email)
    response = sign_in(client, identity_provider, sub)
    assert response.status_code == 302
    assert response["Location"] == reverse("start")

    start = client.get(reverse("start"))
    assert start.status_code == 200
    assert start.context["request"].actor == corporation_worker
    assert nothing_of_the_provider_is_stored()
    # The session is a normal one: its clock, its actor, its row knows whose it is.
    session = client.session
    assert session[STARTED_KEY] and session[LAST_SEEN_KEY]
    assert session[SESSION_KEY] == corporation_worker.pk
    row = Session.objects.get(session_key=session.session_key)
    assert row.user_id == corporation_worker.user_id

    page = client.get(reverse("cases:household_detail", args=[household.pk]))
    assert page.status_code == 200
    log = AccessLog.objects.get(household=household, action=AccessLog.Action.VIEW)
    assert (log.user_id, log.organisation_id, log.role, log.origin) == (
        corporation_worker.user_id,
        corporation_worker.organisation_id,
        corporation_worker.role,
        "127.0.0.1",
    )


def test_the_page_asked_for_before_signing_in_is_where_it_ends(
    client, identity_provider, corporation_worker, household
):
    sub = identity_provider.add_person(corporation_worker.user.email)
    wanted = reverse("cases:household_detail", args=[household.pk])
    assert sign_in(client, identity_provider, sub, next_page=wanted)["Location"] == wanted


def test_the_address_is_matched_whatever_its_case(client, identity_provider, corporation_worker):
    sub = identity_provider.add_person(corporation_worker.user.email.upper())
    assert sign_in(client, identity_provider, sub)["Location"] == reverse("start")


def test_an_unknown_address_gets_a_dutch_page_and_nothing_is_made(client, identity_provider):
    people, memberships = User.objects.count(), Membership.objects.count()
    sub = identity_provider.add_person("onbekend@elders.example")
    response = sign_in(client, identity_provider, sub)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Geen toegang tot Inclusie" in html
    assert "onbekend@elders.example" in html
    assert "geen lid en geen openstaande uitnodiging" in html
    assert (User.objects.count(), Membership.objects.count()) == (people, memberships)
    assert nothing_of_the_provider_is_stored()
    assert client.get(reverse("start"))["Location"].startswith(reverse("account_login"))


def test_a_person_without_an_active_membership_gets_no_access(
    client, identity_provider, corporation_worker
):
    corporation_worker.ended_at = corporation_worker.started_at
    corporation_worker.save()
    sub = identity_provider.add_person(corporation_worker.user.email)
    assert sign_in(client, identity_provider, sub).status_code == 403
    assert client.get(reverse("start"))["Location"].startswith(reverse("account_login"))


def test_a_deactivated_person_gets_no_access_even_when_invited(
    client, identity_provider, corporation_worker, outsider_admin
):
    User.objects.filter(pk=corporation_worker.user_id).update(is_active=False)
    invitation_create(
        actor=outsider_admin, email=corporation_worker.user.email, name="Wim", role="medewerker"
    )
    sub = identity_provider.add_person(corporation_worker.user.email)
    assert sign_in(client, identity_provider, sub).status_code == 403
    assert client.get(reverse("start"))["Location"].startswith(reverse("account_login"))
    assert (
        not Membership.objects.filter(organisation=outsider_admin.organisation_id)
        .exclude(pk=outsider_admin.pk)
        .exists()
    )


def test_an_unverified_address_is_refused(client, identity_provider, corporation_worker):
    sub = identity_provider.add_person(corporation_worker.user.email, email_verified=False)
    response = sign_in(client, identity_provider, sub)
    assert response.status_code == 403
    assert (
        f"{identity_provider.name} heeft je e-mailadres niet bevestigd" in response.content.decode()
    )
    assert client.get(reverse("start"))["Location"].startswith(reverse("account_login"))
    assert nothing_of_the_provider_is_stored()


@pytest.mark.parametrize(
    ("claim", "status"), [("false", 403), ("False", 403), ("ja", 403), ("true", 302)]
)
def test_email_verified_sent_as_text_counts_only_when_it_says_true(
    client, identity_provider, corporation_worker, claim, status
):
    """Some providers send the claim as text: "false" is a non-empty string, and must not
    pass for a verified address (allauth reads it; this holds it to that)."""
    sub = identity_provider.add_person(corporation_worker.user.email, email_verified=claim)
    assert sign_in(client, identity_provider, sub).status_code == status


def test_an_invited_address_becomes_a_member(client, identity_provider, admin):
    invitation = invitation_create(
        actor=admin, email="nieuw@testdorp.example", name="Nina Nieuw", role="medewerker"
    )
    sub = identity_provider.add_person("nieuw@testdorp.example", name="N. Nieuw (IdP)")
    response = sign_in(client, identity_provider, sub)
    assert response["Location"] == reverse("start")

    user = User.objects.get(email="nieuw@testdorp.example")
    assert user.name == "Nina Nieuw"
    assert not user.has_usable_password()
    membership = Membership.objects.active().get(user=user)
    assert (membership.organisation_id, membership.role) == (admin.organisation_id, "medewerker")
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert client.get(reverse("start")).context["request"].actor == membership
    assert nothing_of_the_provider_is_stored()


def test_a_member_is_not_joined_to_another_organisation_by_signing_in(
    client, identity_provider, corporation_worker, outsider_admin
):
    """An invitation for someone who is already a member is accepted through its link, by them."""
    invitation = invitation_create(
        actor=outsider_admin, email=corporation_worker.user.email, name="Wim", role="medewerker"
    )
    sub = identity_provider.add_person(corporation_worker.user.email)
    assert sign_in(client, identity_provider, sub)["Location"] == reverse("start")
    assert list(Membership.objects.active().filter(user=corporation_worker.user)) == [
        corporation_worker
    ]
    invitation.refresh_from_db()
    assert invitation.is_open


def test_an_expired_or_revoked_invitation_lets_nobody_in(client, identity_provider, admin):
    invitation_create(actor=admin, email="laat@testdorp.example", name="Lot", role="medewerker")
    Invitation.objects.update(expires_at=Invitation.objects.get().created_at)
    sub = identity_provider.add_person("laat@testdorp.example")
    assert sign_in(client, identity_provider, sub).status_code == 403
    assert not User.objects.filter(email="laat@testdorp.example").exists()


def test_the_pages_of_a_failed_attempt_are_dutch(client, db):
    # allauth sends a person here when they cancel at the provider (error=access_denied).
    cancelled = client.get(reverse("socialaccount_login_cancelled"))
    assert "Aanmelden afgebroken" in cancelled.content.decode()
    failed = client.get(reverse("socialaccount_login_error"))
    assert "Aanmelden via je organisatie is mislukt" in failed.content.decode()


def test_an_answer_that_is_not_the_providers_is_refused(client, identity_provider):
    """A callback with a code but a state Inclusie did not make (a forged or replayed answer)
    logs nobody in."""
    client.post(identity_provider.login_url)
    response = client.get(identity_provider.login_url + "callback/?code=abc&state=forged")
    assert response.status_code == 401
    assert "Aanmelden via je organisatie is mislukt" in response.content.decode()
    assert client.get(reverse("start"))["Location"].startswith(reverse("account_login"))


def test_a_provider_that_is_down_gets_the_dutch_page_not_an_error(
    client, db, unreachable_identity_provider
):
    """The button's page asks the provider for its configuration first; a provider that does
    not answer (down, no network) leaves the person on the failed sign-in page, which points
    to the password login, not on the 500 page."""
    client.raise_request_exception = False
    response = client.post(unreachable_identity_provider.login_url)
    assert response.status_code == 502
    assert "Aanmelden via je organisatie is mislukt" in response.content.decode()
    assert client.get(reverse("start"))["Location"].startswith(reverse("account_login"))


# --- MFA: trusted from the provider only when configured so and the ID token shows it ----------


@override_settings(MFA_REQUIRED=True)
def test_trusted_mfa_at_the_provider_asks_for_no_second_code(
    client, identity_provider, corporation_worker
):
    TOTP.activate(corporation_worker.user, generate_totp_secret())
    identity_provider.trust_mfa()
    sub = identity_provider.add_person(corporation_worker.user.email, amr=["pwd", "mfa"])
    assert sign_in(client, identity_provider, sub)["Location"] == reverse("start")
    assert client.get(reverse("start")).status_code == 200


@override_settings(MFA_REQUIRED=True)
def test_trusted_mfa_at_the_provider_needs_no_app_of_inclusie(
    client, identity_provider, privacy_officer
):
    identity_provider.trust_mfa()
    sub = identity_provider.add_person(privacy_officer.user.email, amr=["pwd", "otp"])
    assert sign_in(client, identity_provider, sub)["Location"] == reverse("start")
    assert client.get(reverse("start")).status_code == 200
    # The privacy officer's pages want a session that passed MFA: this one did, at the provider.
    assert client.get(reverse("privacy:access_log")).status_code == 200


@pytest.mark.parametrize(
    ("trusted", "amr"),
    [(False, ["pwd", "mfa"]), (True, None), (True, ["pwd"]), (True, "mfa")],
    ids=["not-trusted", "no-amr", "password-only", "amr-not-a-list"],
)
@override_settings(MFA_REQUIRED=True)
def test_otherwise_inclusie_asks_for_its_own_code(
    client, identity_provider, corporation_worker, trusted, amr
):
    TOTP.activate(corporation_worker.user, generate_totp_secret())
    identity_provider.trust_mfa(trusted)
    sub = identity_provider.add_person(corporation_worker.user.email, amr=amr)
    assert sign_in(client, identity_provider, sub)["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("start"))["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("trusted", "amr"), [(False, ["mfa"]), (True, ["pwd"])])
@override_settings(MFA_REQUIRED=True)
def test_without_trusted_mfa_a_person_without_the_app_sets_it_up_first(
    client, identity_provider, corporation_worker, trusted, amr
):
    identity_provider.trust_mfa(trusted)
    sub = identity_provider.add_person(corporation_worker.user.email, amr=amr)
    assert sign_in(client, identity_provider, sub)["Location"] == reverse("start")
    assert client.get(reverse("start"))["Location"] == reverse("mfa_activate_totp")
    assert not Authenticator.objects.exists()


@override_settings(MFA_REQUIRED=True)
def test_someone_who_joined_through_the_provider_can_set_up_the_app(
    client, identity_provider, admin
):
    """They have no password to confirm: a sign-in at the provider moments ago stands for it."""
    invitation_create(actor=admin, email="nieuw@testdorp.example", name="Nina", role="medewerker")
    sub = identity_provider.add_person("nieuw@testdorp.example")
    sign_in(client, identity_provider, sub)
    assert client.get(reverse("start"))["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "Authenticator-app activeren" in page.content.decode()


@override_settings(MFA_REQUIRED=True)
def test_a_password_login_after_a_trusted_sign_in_still_wants_the_code(
    client, identity_provider, corporation_worker, password
):
    """The trust belongs to the session that signed in through the provider, not the person."""
    TOTP.activate(corporation_worker.user, generate_totp_secret())
    identity_provider.trust_mfa()
    sub = identity_provider.add_person(corporation_worker.user.email, amr=["mfa"])
    sign_in(client, identity_provider, sub)
    client.post(reverse("account_logout"))
    response = client.post(
        reverse("account_login"), {"login": corporation_worker.user.email, "password": password}
    )
    assert response["Location"] == reverse("mfa_authenticate")


# --- The login page -------------------------------------------------------------------------


def test_the_login_page_has_a_button_per_provider_and_its_form_may_go_there(
    client, identity_provider
):
    response = client.get(reverse("account_login"))
    html = response.content.decode()
    assert f"Aanmelden met {identity_provider.name}" in html
    assert f'action="{identity_provider.login_url}"' in html
    form_action = next(
        d for d in response["Content-Security-Policy"].split(";") if "form-action" in d
    )
    assert form_action.split() == ["form-action", "'self'", identity_provider.url]


def test_a_provider_only_in_the_database_is_not_offered(client, identity_provider):
    from allauth.socialaccount.models import SocialApp

    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="elders",
        name="Elders ID",
        client_id="x",
        secret="y",
        settings={"server_url": "https://elders.example"},
    )
    html = client.get(reverse("account_login")).content.decode()
    assert f"Aanmelden met {identity_provider.name}" in html
    assert "Elders ID" not in html
    url = reverse("openid_connect_login", kwargs={"provider_id": "elders"})
    assert client.post(url).status_code == 404


def test_the_login_page_passes_on_where_to_go_after(client, identity_provider):
    html = client.get(reverse("account_login") + "?next=/signalen/").content.decode()
    assert f'action="{identity_provider.login_url}?next=%2Fsignalen%2F"' in html


def test_without_providers_the_login_page_is_as_before(client, db, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    response = client.get(reverse("account_login"))
    assert "Aanmelden met" not in response.content.decode()
    assert "form-action 'self';" in response["Content-Security-Policy"] + ";"
