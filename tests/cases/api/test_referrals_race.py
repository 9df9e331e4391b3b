"""Race-safe as the pages (issue 17 item 3): welfare's case system and a welfare worker on the
page accept the same referral at the same moment. Exactly one wins, every time; the other is
told who: the system gets a 409 naming the person, the person is told the system's name."""

import json
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from cases.models import Referral
from cases.services.referrals import referral_accept, referral_send
from partners.models import ApiClient
from tests.factories import MembershipFactory, SignalFactory

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 20


def test_the_system_and_a_person_accepting_at_once_exactly_one_wins(
    api_key, corporation_worker, household, welfare, lonely, consent, agreement
):
    _api, key = api_key(welfare, ApiClient.Scope.REFERRALS_WRITE, name="Welzijnsregistratie")
    person = MembershipFactory(organisation=welfare, user__name="Wendy Test")
    for _round in range(ROUNDS):
        signal = SignalFactory(household=household, category=lonely)
        referral = referral_send(
            actor=corporation_worker, household=household, to_organisation=welfare, signals=[signal]
        )
        barrier = threading.Barrier(2)
        results = {}

        def by_system(referral=referral, barrier=barrier, results=results):
            try:
                barrier.wait()
                response = Client().post(
                    f"/api/v1/verwijzingen/{referral.pk}/_accepteren",
                    data=json.dumps({"versie": referral.version}),
                    content_type="application/json",
                    headers={"Authorization": f"Bearer {key}"},
                )
                results["system"] = (response.status_code, response.json().get("detail", ""))
            finally:
                connection.close()

        def by_person(referral=referral, barrier=barrier, results=results):
            try:
                barrier.wait()
                referral_accept(actor=person, referral=referral, version=referral.version)
                results["person"] = (200, "")
            except ValidationError as error:
                results["person"] = (409, " ".join(error.messages))
            finally:
                connection.close()

        threads = [threading.Thread(target=by_system), threading.Thread(target=by_person)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(status for status, _detail in results.values()) == [200, 409], results
        accepted = Referral.objects.select_related("responded_by").get(pk=referral.pk)
        assert accepted.status == "geaccepteerd"
        if results["system"][0] == 200:
            assert accepted.responded_by is None  # an agent has no person
            assert "Welzijnsregistratie" in results["person"][1]
        else:
            assert accepted.responded_by == person.user
            assert "Wendy Test" in results["system"][1]
