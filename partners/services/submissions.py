"""Forms sent with a key made on the device (ADR 0016): the first send with a key is acted on,
a later one with the same key gets the first one's answer. The offline drafts reuse this."""

import uuid
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from partners.models import Submission, User

# A key is honoured this long; a draft left longer on a device is sent as new.
SUBMISSION_KEPT = timedelta(days=1)


def submission_claim(*, user: User, key: uuid.UUID) -> str | None:
    """Claim a key for the send being handled: None when this send is the first (go on, then
    call submission_done or submission_release in the same transaction), otherwise where the
    first send led.

    Call inside a transaction that also holds the work: the new row is locked until it ends,
    so a second send with the same key at the same moment waits for the first one's answer
    (insert first, then read; the unique constraint decides who was first)."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                Submission.objects.create(user=user, key=key)
            return None
        except IntegrityError:
            result = (
                Submission.objects.filter(user=user, key=key)
                .values_list("result", flat=True)
                .first()
            )
        # None: purged between the insert and the read; claim it again.
        if result is not None:
            return result
    raise RuntimeError("A submission key could be neither claimed nor read.")


def submission_done(*, user: User, key: uuid.UUID, result: str) -> None:
    """The claimed send succeeded and led to result (a URL on this site)."""
    Submission.objects.filter(user=user, key=key).update(result=result)


def submission_release(*, user: User, key: uuid.UUID) -> None:
    """The claimed send changed nothing (the form was refused): the key may be sent again."""
    Submission.objects.filter(user=user, key=key, result="").delete()


def submissions_purge() -> int:
    """Forget the keys older than SUBMISSION_KEPT; run hourly by beat."""
    deleted, _ = Submission.objects.filter(created_at__lt=timezone.now() - SUBMISSION_KEPT).delete()
    return deleted
