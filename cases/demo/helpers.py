"""Demo helpers (dragers) in Lindenhoven (ADR 0032), through the services, so their history
and the access log are as in real use: three registered by the corporation's woonconsulent,
one by welfare; one confirmed through their personal link, one paused, one still waiting.
Invented people: phone numbers 06 0000 xxxx, addresses .example, postcodes 9901-9904. Safe to
run twice."""

from datetime import timedelta

from cases.access.actors import agent_for_link
from cases.models import Helper, PersonalLink
from cases.services import helpers as services
from cases.services.links import helper_link_issue

# (who registers, first name, surname, phone, e-mail, offers, days, parts, metres or None for
#  own street, street, postcode, VOG seen, what they did with their link)
HELPERS = [
    (
        "woonconsulent",
        "Gerda",
        "Smit",
        "06 0000 4101",
        "gerda.smit@lindenhoven.example",
        ["boodschappen", "gezelschap"],
        ["ma", "di", "do"],
        ["ochtend", "middag"],
        400,
        "Lindelaan 12",
        "9901 AB",
        True,
        "bevestigd",
    ),
    (
        "woonconsulent",
        "Youssef",
        "",
        "06 0000 4102",
        "",
        ["klussen", "vervoer"],
        ["za"],
        ["ochtend"],
        None,
        "Beukenhof 3",
        "9902 CE",
        False,
        "gepauzeerd",
    ),
    (
        "woonconsulent",
        "Marja",
        "de Boer",
        "",
        "marja.deboer@lindenhoven.example",
        ["taal_en_post", "digitaal"],
        ["wo", "vr"],
        ["avond"],
        1000,
        "Eikenstraat 40",
        "9903 GH",
        True,
        "wacht",
    ),
    (
        "welzijn",
        "Kees",
        "Jansen",
        "06 0000 4104",
        "",
        ["gezelschap", "tuin"],
        ["di", "za"],
        ["middag"],
        800,
        "Populierenweg 7",
        "9904 KL",
        False,
        "bevestigd",
    ),
]


def build_demo_helpers(*, workers: dict, today) -> int:
    """Register the demo helpers once; returns how many were added."""
    organisations = {workers[key].organisation_id for key in ("woonconsulent", "welzijn")}
    if Helper.objects.filter(organisation_id__in=organisations).exists():
        return 0
    for row in HELPERS:
        (who, first, surname, phone, email, offers, days, parts, metres, street, postcode) = row[
            :11
        ]
        vog, state = row[11], row[12]
        actor = workers[who]
        helper = services.helper_register(
            actor=actor,
            first_name=first,
            surname=surname,
            phone=phone,
            email=email,
            offers=offers,
            days=days,
            day_parts=parts,
            reach_metres=metres,
            own_street_only=metres is None,
            street_address=street,
            postcode=postcode,
            consent_given_on=today - timedelta(days=10),
            consent_how="mondeling",
            vog_seen_on=today - timedelta(days=30) if vog else None,
            vog_expires_on=today + timedelta(days=3 * 365) if vog else None,
        )
        helper_link_issue(actor=actor, helper=helper, delivery="scherm")
        if state == "wacht":
            continue
        link = PersonalLink.objects.filter(helper=helper).latest("created_at")
        agent = agent_for_link(link, origin="seed_demo")
        helper = services.helper_confirm(actor=agent, helper=helper)
        if state == "gepauzeerd":
            services.helper_pause(actor=agent, helper=helper)
    return len(HELPERS)
