"""A form's key is acted on once per person (ADR 0016): the first send claims it, a later one
gets the first one's answer, a refused send frees it, and two sends at the same moment make
one record."""

import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from partners.models import Submission
from partners.services.submissions import (
    submission_claim,
    submission_done,
    submission_release,
    submissions_purge,
)
from partners.tasks import submissions_purge as submissions_purge_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_first_send_claims_the_key_and_a_second_gets_its_answer():
    user, key = UserFactory(), uuid.uuid4()
    assert submission_claim(user=user, key=key) is None
    submission_done(user=user, key=key, result="/huishoudens/7/")
    assert submission_claim(user=user, key=key) == "/huishoudens/7/"
    assert Submission.objects.filter(user=user, key=key).count() == 1


def test_a_refused_send_frees_its_key():
    user, key = UserFactory(), uuid.uuid4()
    assert submission_claim(user=user, key=key) is None
    submission_release(user=user, key=key)
    assert submission_claim(user=user, key=key) is None


def test_release_never_forgets_a_send_that_succeeded():
    user, key = UserFactory(), uuid.uuid4()
    submission_claim(user=user, key=key)
    submission_done(user=user, key=key, result="/klaar/")
    submission_release(user=user, key=key)
    assert submission_claim(user=user, key=key) == "/klaar/"


def test_a_key_is_each_persons_own():
    first, second, key = UserFactory(), UserFactory(), uuid.uuid4()
    submission_claim(user=first, key=key)
    submission_done(user=first, key=key, result="/van-de-eerste/")
    assert submission_claim(user=second, key=key) is None


def test_keys_older_than_a_day_are_forgotten():
    user = UserFactory()
    old, recent = uuid.uuid4(), uuid.uuid4()
    for key in (old, recent):
        submission_claim(user=user, key=key)
        submission_done(user=user, key=key, result="/x/")
    Submission.objects.filter(key=old).update(created_at=timezone.now() - timedelta(hours=25))
    assert submissions_purge_task() == 1
    assert list(Submission.objects.values_list("key", flat=True)) == [recent]
    assert submissions_purge() == 0


@pytest.mark.django_db(transaction=True)
def test_two_sends_at_the_same_moment_make_one_record():
    """The second waits on the first one's claim and then gets its answer."""
    user, key = UserFactory(), uuid.uuid4()
    first_claimed = threading.Event()
    results = {}

    def first():
        try:
            with transaction.atomic():
                results["first"] = submission_claim(user=user, key=key)
                first_claimed.set()
                time.sleep(0.5)  # the work of the first send, while the second arrives
                submission_done(user=user, key=key, result="/eerste/")
        finally:
            connection.close()

    def second():
        try:
            first_claimed.wait(5)
            with transaction.atomic():
                results["second"] = submission_claim(user=user, key=key)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results["second"] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {"first": None, "second": "/eerste/"}
    assert Submission.objects.filter(user=user, key=key).count() == 1
