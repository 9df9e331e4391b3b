"""Personal links (ADR 0032): the token is stored only hashed; a new link stops the old one;
the e-mail is queued after commit, made when it goes out, and survives a broker that cannot be
reached (the sweep sends it once)."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from cases.models import HelperEvent, PersonalLink
from cases.selectors.links import link_for_token
from cases.services import links as services

pytestmark = pytest.mark.django_db
OFFER = PersonalLink.Purpose.HELPER_OFFER
LINK = re.compile(r"https?://\S+/link/([\w-]+)/")


def test_the_token_is_stored_only_hashed(corporation_worker, register_helper, helper_link):
    helper = register_helper(corporation_worker)
    token = helper_link(corporation_worker, helper)
    link = PersonalLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = PersonalLink.objects.values().get()
    assert not any(token in str(value) for value in stored.values())
    assert token not in str(list(HelperEvent.objects.values()))
    assert link_for_token(token, purpose=OFFER) == link


def test_a_link_opens_only_for_its_own_purpose(corporation_worker, register_helper, helper_link):
    token = helper_link(corporation_worker, register_helper(corporation_worker))
    assert link_for_token(token, purpose="ruimte") is None


def test_a_new_link_stops_the_earlier_one(corporation_worker, register_helper, helper_link):
    helper = register_helper(corporation_worker)
    first = helper_link(corporation_worker, helper)
    second = helper_link(corporation_worker, helper)
    assert link_for_token(first, purpose=OFFER) is None
    assert link_for_token(second, purpose=OFFER) is not None
    assert helper.events.filter(kind=HelperEvent.Kind.LINK_SHOWN).count() == 2


def test_an_expired_link_and_a_revoked_one_open_nothing(
    corporation_worker, register_helper, helper_link
):
    helper = register_helper(corporation_worker)
    token = helper_link(corporation_worker, helper)
    PersonalLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert link_for_token(token, purpose=OFFER) is None
    token = helper_link(corporation_worker, helper)
    assert services.helper_link_revoke(actor=corporation_worker, helper=helper) == 1
    assert link_for_token(token, purpose=OFFER) is None
    assert helper.events.filter(kind=HelperEvent.Kind.LINK_REVOKED).count() == 1


def _mailed_token() -> str:
    (message,) = mail.outbox
    return LINK.search(message.body).group(1)


def test_the_mail_is_queued_after_commit_with_a_token_made_then(
    corporation_worker, django_capture_on_commit_callbacks, register_helper
):
    helper = register_helper(corporation_worker)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        issued = services.helper_link_issue(
            actor=corporation_worker, helper=helper, delivery="email"
        )
        assert issued.url == "" and issued.link.token_hash is None
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert mail.outbox[0].to == ["henk@test.example"]
    assert "Henk" in mail.outbox[0].body
    link = PersonalLink.objects.get()
    assert link.mailed_at is not None and link.mail_attempts == 1
    assert link_for_token(_mailed_token(), purpose=OFFER) == link
    assert services.link_mail_deliver(link_id=link.pk) is False  # a second run sends nothing
    assert len(mail.outbox) == 1


def test_a_broker_that_cannot_be_reached_delays_the_mail_and_loses_none(
    corporation_worker, django_capture_on_commit_callbacks, monkeypatch, settings, register_helper
):
    from cases.tasks import link_mail_deliver

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(link_mail_deliver, "apply_async", broker_down)
    helper = register_helper(corporation_worker)
    with django_capture_on_commit_callbacks(execute=True):
        services.helper_link_issue(actor=corporation_worker, helper=helper, delivery="email")
    assert mail.outbox == []  # nothing queued, the request did not fail
    monkeypatch.undo()
    assert services.link_mails_sweep() == 0  # too soon: it may still be on its way
    PersonalLink.objects.update(
        created_at=timezone.now() - timedelta(seconds=settings.LINK_MAIL_SWEEP_AFTER + 1)
    )
    assert services.link_mails_sweep() == 1
    assert services.link_mails_sweep() == 0
    assert len(mail.outbox) == 1
    assert link_for_token(_mailed_token(), purpose=OFFER) is not None


def test_a_mail_server_that_fails_releases_the_mail_for_the_retry(
    corporation_worker, settings, register_helper
):
    helper = register_helper(corporation_worker)
    link = services.helper_link_issue(
        actor=corporation_worker, helper=helper, delivery="email"
    ).link
    settings.EMAIL_BACKEND = "tests.partners.flaky_mail.FailingBackend"
    with pytest.raises(Exception):  # noqa: B017 - the task's autoretry takes it from here
        services.link_mail_deliver(link_id=link.pk)
    link.refresh_from_db()
    assert link.mailed_at is None and link.mail_claimed_until is None


def test_a_helper_without_an_address_gets_no_mail(corporation_worker, register_helper):
    helper = register_helper(corporation_worker, email="")
    with pytest.raises(Exception, match="e-mail"):
        services.helper_link_issue(actor=corporation_worker, helper=helper, delivery="email")
