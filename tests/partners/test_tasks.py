"""The invitation mail is retried until the mail server answers."""

import pytest
from django.core import mail

from partners.models import Membership
from partners.services import memberships as services

pytestmark = pytest.mark.django_db
Role = Membership.Role


def test_an_invitation_mail_is_retried_until_the_mail_server_answers(admin, settings, monkeypatch):
    """The task retries on SMTP errors: on a worker with backoff, here eagerly in a row."""
    from partners.tasks import invitation_send

    # Eager retries loop in place only when the eager run does not re-raise the Retry.
    monkeypatch.setitem(invitation_send.app.conf, "task_eager_propagates", False)
    settings.EMAIL_BACKEND = "tests.partners.flaky_mail.FailingTwiceBackend"
    failing_twice = type(mail.get_connection())
    failing_twice.attempts = 0
    invitation = services.invitation_create(
        actor=admin, email="nieuw@test.example", name="Nieuwe Collega", role=Role.MEDEWERKER
    )
    result = invitation_send.apply(args=(invitation.pk, "http://x/"), throw=False)
    assert result.state == "SUCCESS"
    assert failing_twice.attempts == 3
    assert len(mail.outbox) == 1
