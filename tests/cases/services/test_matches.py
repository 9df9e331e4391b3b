"""Matches (ADR 0033): proposing refuses what must never happen (above all a request needing a
VOG to a helper without a valid one); agreement in either order; ending by either side; every
step once in both histories and the access log, the link as the agent when the helper acts,
and the worker who proposed told of the helper's answer."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.access.actors import agent_for_link
from cases.models import (
    AccessLog,
    Helper,
    HelperEvent,
    HelpMatch,
    HouseholdEvent,
    PersonalLink,
)
from cases.services.links import helper_link_issue
from cases.services.matches import match_answer, match_end, match_household_agrees, match_propose
from cases.workflow import HelpRequestStatus, MatchStatus
from partners.models import Notification
from tests.factories import HelperFactory

pytestmark = pytest.mark.django_db


def _kinds(world):
    return list(
        HouseholdEvent.objects.filter(household=world.household, kind__startswith="help_")
        .order_by("at", "pk")
        .values_list("kind", flat=True)
    )


def _helper_kinds(helper):
    kinds = HelperEvent.objects.filter(helper=helper).order_by("at", "pk")
    return [k for k in kinds.values_list("kind", flat=True) if not k.startswith("link")]


def _refused(world, request, helper, field=None):
    with pytest.raises(ValidationError) as refused:
        match_propose(actor=world.worker, request=request, helper=helper)
    if field:
        assert field in refused.value.message_dict
    return refused.value


def test_a_proposal_is_in_both_histories_and_the_log(help_world):
    match = help_world.proposed()
    assert match.status == MatchStatus.PROPOSED and match.proposed_by == help_world.worker.user
    assert _kinds(help_world) == ["help_requested", "help_proposed"]
    assert _helper_kinds(help_world.helper) == ["proposed"]
    assert AccessLog.objects.filter(object_type="cases.helpmatch", action="update").count() == 1


def test_a_request_needing_a_vog_is_never_proposed_without_a_valid_one(help_world):
    request = help_world.request(needs_vog=True)
    today = timezone.localdate()
    never = help_world.helper_also()
    expired = help_world.helper_also(
        vog_seen_on=today - timedelta(days=400),
        vog_seen_by=help_world.worker.user,
        vog_expires_on=today - timedelta(days=1),
    )
    for helper in (never, expired):
        _refused(help_world, request, helper, "helper")
    assert not HelpMatch.objects.exists()
    assert match_propose(actor=help_world.worker, request=request, helper=help_world.helper)


def test_a_helper_not_active_or_of_another_organisation_is_refused(help_world, welfare):
    request = help_world.request()
    paused = help_world.helper_also(status="gepauzeerd")
    waiting = help_world.helper_also(status="aangemeld")
    elsewhere = HelperFactory(organisation=welfare)
    for helper in (paused, waiting, elsewhere):
        _refused(help_world, request, helper, "helper")
    assert not HelpMatch.objects.exists()


def test_a_request_not_open_or_a_live_match_already_is_refused(help_world):
    request = help_world.request()
    help_world.proposed(request)
    _refused(help_world, request, help_world.helper, "helper")
    request.status = HelpRequestStatus.CLOSED
    request.save()
    _refused(help_world, request, help_world.helper_also())
    assert HelpMatch.objects.count() == 1


def test_only_a_worker_who_may_see_the_household_proposes(help_world, outsider):
    request = help_world.request()
    with pytest.raises(ValidationError):
        match_propose(actor=outsider, request=request, helper=help_world.helper)
    with pytest.raises(ValidationError):
        match_propose(actor=help_world.agent, request=request, helper=help_world.helper)


def test_helper_first_then_household_agrees(help_world, mailoutbox):
    match = help_world.proposed()
    match_answer(actor=help_world.agent, match=match, accept=True)
    match.refresh_from_db()
    assert match.status == MatchStatus.ACCEPTED and match.agreed_at is None
    notice = Notification.objects.get(recipient=help_world.worker.user)
    assert notice.kind == "help_match" and notice.data == {"answer": "geaccepteerd"}
    match_household_agrees(actor=help_world.worker, match=match)
    match.refresh_from_db()
    assert match.status == MatchStatus.AGREED and match.agreed_at is not None
    assert match.household_agreed_recorded_by == help_world.worker.user
    assert match.request.status == HelpRequestStatus.MATCHED
    assert _kinds(help_world) == [
        "help_requested",
        "help_proposed",
        "help_accepted",
        "help_agreed",
    ]
    assert _helper_kinds(help_world.helper) == ["proposed", "accepted", "agreed"]
    accepted = HelperEvent.objects.get(helper=help_world.helper, kind="accepted")
    assert accepted.user is None and accepted.agent == help_world.link.reference
    assert accepted.agent_name == "Henk"
    by_link = AccessLog.objects.filter(channel="link", agent=help_world.link.reference)
    assert by_link.filter(action="update", household=help_world.household).count() == 1


def test_household_first_then_helper_agrees(help_world):
    match = help_world.proposed()
    match_household_agrees(actor=help_world.worker, match=match)
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED and match.household_agreed_at is not None
    with pytest.raises(ValidationError):
        match_household_agrees(actor=help_world.worker, match=match)
    match_answer(actor=help_world.agent, match=match, accept=True)
    match.refresh_from_db()
    assert match.status == MatchStatus.AGREED and match.request.status == "gekoppeld"
    assert _kinds(help_world)[2:] == ["help_agreed", "help_accepted", "help_agreed"]
    assert _helper_kinds(help_world.helper) == ["proposed", "accepted", "agreed"]
    with pytest.raises(ValidationError):
        match_answer(actor=help_world.agent, match=match, accept=False)


def test_the_helper_declines_with_a_reason(help_world):
    match = help_world.proposed()
    match_answer(actor=help_world.agent, match=match, accept=False, reason="Ben op vakantie")
    match.refresh_from_db()
    assert match.status == MatchStatus.DECLINED and match.end_reason == "Ben op vakantie"
    assert _kinds(help_world)[-1] == "help_declined"
    assert Notification.objects.get().data == {"answer": "afgewezen"}
    # Declined is no longer live: the same helper can be asked again.
    assert help_world.proposed(match.request).status == MatchStatus.PROPOSED


def test_only_the_helper_answers_through_the_link(help_world):
    match = help_world.proposed()
    with pytest.raises(ValidationError):
        match_answer(actor=help_world.worker, match=match, accept=True)
    other = help_world.helper_also()
    stranger = agent_for_link(PersonalLink.objects.get(pk=_link_pk(help_world, other)))
    with pytest.raises(ValidationError):
        match_answer(actor=stranger, match=match, accept=True)


def test_the_helper_ends_agreed_help_and_the_request_opens_again(help_world):
    match = help_world.agreed()
    with pytest.raises(ValidationError) as refused:
        match_end(actor=help_world.agent, match=match, reason="")
    assert "reason" in refused.value.message_dict
    match_end(actor=help_world.agent, match=match, reason="Verhuis naar Zwolle")
    match.refresh_from_db()
    assert match.status == MatchStatus.ENDED and match.ended_by == "helper"
    assert match.request.status == HelpRequestStatus.OPEN
    assert _kinds(help_world)[-1] == "help_ended"
    assert _helper_kinds(help_world.helper)[-1] == "match_ended"
    assert Notification.objects.filter(data={"answer": "beeindigd"}).count() == 1


def test_the_request_stays_matched_while_another_match_is_agreed(help_world):
    request = help_world.request()
    first = help_world.proposed(request)
    second_helper = help_world.helper_also()
    second = help_world.proposed(request, second_helper)
    second_agent = agent_for_link(PersonalLink.objects.get(pk=_link_pk(help_world, second_helper)))
    for match, agent in ((first, help_world.agent), (second, second_agent)):
        match_answer(actor=agent, match=match, accept=True)
        match_household_agrees(actor=help_world.worker, match=match)
    match_end(actor=help_world.worker, match=first, reason="Klikte niet", side="huishouden")
    first.refresh_from_db()
    request.refresh_from_db()
    assert first.ended_by == "huishouden" and request.status == HelpRequestStatus.MATCHED
    match_end(actor=help_world.worker, match=second, reason="Klaar", side="medewerker")
    request.refresh_from_db()
    assert request.status == HelpRequestStatus.OPEN
    with pytest.raises(ValidationError):
        match_end(actor=help_world.worker, match=first, reason="Nogmaals")


def _link_pk(world, helper) -> int:
    issued = helper_link_issue(actor=world.worker, helper=helper, delivery="scherm")
    assert issued.url
    return helper.links.get().pk


def test_the_helper_cannot_end_a_proposal_but_declines_it(help_world):
    match = help_world.proposed()
    with pytest.raises(ValidationError):
        match_end(actor=help_world.agent, match=match, reason="Liever niet")
    assert HelpMatch.objects.get().status == MatchStatus.PROPOSED


def test_no_agreement_once_the_vog_ran_out_or_the_helper_paused(help_world):
    request = help_world.request(needs_vog=True)
    match = help_world.proposed(request)
    match_household_agrees(actor=help_world.worker, match=match)
    Helper.objects.filter(pk=help_world.helper.pk).update(
        vog_expires_on=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="VOG"):
        match_answer(actor=help_world.agent, match=match, accept=True)
    Helper.objects.filter(pk=help_world.helper.pk).update(
        vog_expires_on=timezone.localdate() + timedelta(days=30), status="gepauzeerd"
    )
    with pytest.raises(ValidationError, match="gepauzeerd|paused"):
        match_answer(actor=help_world.agent, match=match, accept=True)
    match.refresh_from_db()
    assert (match.status, match.helper_answered_at) == ("voorgesteld", None)


def test_a_partner_that_sees_the_household_sees_none_of_its_requests(
    help_world, welfare_worker, welfare, lonely
):
    from cases.models import HelpRequest, Household
    from cases.services.referrals import referral_send
    from tests.factories import SignalFactory, agree, consent_given

    request = help_world.request()
    help_world.proposed(request)
    agree(help_world.worker.organisation, welfare, lonely)
    consent_given(help_world.worker, help_world.household, welfare, [lonely])
    shared = SignalFactory(household=help_world.household, category=lonely)
    referral_send(
        actor=help_world.worker,
        household=help_world.household,
        to_organisation=welfare,
        signals=[shared],
    )
    assert Household.objects.visible_to(welfare_worker).filter(pk=help_world.household.pk)
    assert HelpRequest.objects.visible_to(help_world.worker).filter(pk=request.pk).exists()
    assert not HelpRequest.objects.visible_to(welfare_worker).exists()
    assert not HelpMatch.objects.visible_to(welfare_worker).exists()


def test_a_helper_who_stops_ends_their_live_help_and_the_request_opens_again(help_world):
    from cases.services.matches import helper_stop_ending_matches

    agreed = help_world.agreed()
    proposed = help_world.proposed(help_world.request(kind="boodschappen"))
    helper_stop_ending_matches(actor=help_world.agent, helper=help_world.helper)
    for match in (agreed, proposed):
        match.refresh_from_db()
        assert (match.status, match.ended_by) == ("beeindigd", "helper")
    agreed.request.refresh_from_db()
    assert agreed.request.status == HelpRequestStatus.OPEN
    assert Notification.objects.filter(kind="help_match", data__answer="beeindigd").count() == 2
    help_world.helper.refresh_from_db()
    assert help_world.helper.status == "gestopt"
