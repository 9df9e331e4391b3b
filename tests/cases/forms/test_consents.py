"""The consent form's messages."""

import datetime

import pytest
from django.utils import timezone, translation

from cases.selectors.signals import categories_in_use

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def test_the_messages_have_english_ids(corporation_worker, categories):
    from cases.forms.consents import ConsentForm

    with translation.override("en"):
        form = ConsentForm(
            {"given_on": (TODAY + DAY).isoformat()},
            actor=corporation_worker,
            categories=categories_in_use(),
        )
        assert not form.is_valid()
        assert form.errors["given_on"] == ["Consent cannot be given in the future."]
        assert form.errors["categories"] == ["Choose what the consent is about."]
        assert form.errors["given_how"] == ["Choose how the consent was given."]
