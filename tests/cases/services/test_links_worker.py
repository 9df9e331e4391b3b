"""A personal link's e-mail through a real Celery worker, with beat inside it, and a real Redis
that the test starts on a spare port of its own (tests/servers.py): the mail arrives with a
link that works; a link mailed while Redis is down is sent once after it is back, queued by
beat's sweep (every two seconds here), and never twice (ADR 0032)."""

import re
import time

import pytest

from cases.models import PersonalLink
from cases.selectors.links import link_for_token
from cases.services.links import helper_link_issue

pytestmark = pytest.mark.django_db(transaction=True)
OUTAGE_SECONDS = 8
TOKEN = re.compile(r"/link/([\w-]{43})/")


@pytest.fixture
def mail_dir(tmp_path):
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def worker(start_worker, mail_dir):
    return start_worker(
        beat=True,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        LINK_MAIL_SWEEP_AFTER="1",
        LINK_MAIL_SWEEP_EVERY="2",
    )


def tokens(mail_dir) -> list[str]:
    found = []
    for path in sorted(mail_dir.iterdir()):
        found += sorted(set(TOKEN.findall(path.read_text())))
    return found


def test_a_link_mailed_while_redis_is_down_arrives_once_after(
    worker, broker, corporation_worker, register_helper, mail_dir, wait_for
):
    first = register_helper(corporation_worker, first_name="Gerda")
    helper_link_issue(actor=corporation_worker, helper=first, delivery="email")
    wait_for(lambda: len(tokens(mail_dir)) == 1, timeout=30, what="the first mail")
    broker.stop()
    stopped = time.monotonic()
    second = register_helper(corporation_worker, first_name="Kees", email="kees@test.example")
    issued = helper_link_issue(actor=corporation_worker, helper=second, delivery="email")
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - stopped)))
    assert len(tokens(mail_dir)) == 1
    assert PersonalLink.objects.get(pk=issued.link.pk).mailed_at is None
    broker.start()  # an empty Redis: nothing that was queued before is in it
    wait_for(lambda: len(tokens(mail_dir)) == 2, timeout=60, what="the sweep to send it")
    time.sleep(5)  # more sweeps come and go
    found = tokens(mail_dir)
    assert len(found) == 2
    opened = {link_for_token(token, purpose="aanbod").helper_id for token in found}
    assert opened == {first.pk, second.pk}
    link = PersonalLink.objects.get(pk=issued.link.pk)
    assert link.mailed_at is not None and link.mail_attempts == 1
    assert "link_mails_sweep" in worker.log.read_text()
