"""What an installation administrator sets up for every organisation (the set-up file, ADR 0020):
organisations and their kinds, neighbourhoods by CBS code, and the installation administrator
who does it, with a link to choose a password. Each write is made only when something differs,
so a second run writes nothing."""

import enum

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from partners.models import Membership, Neighbourhood, Organisation, User
from partners.services.memberships import installation_admin_set
from partners.validators import cbs_district_problem, cbs_neighbourhood_problem


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def installation_admin_check(user: User | None) -> User:
    """The person, if an active installation administrator; a Dutch refusal otherwise."""
    if user is None or not user.is_active or not user.is_installation_admin:
        raise ValidationError(_("Only an installation administrator may set up the installation."))
    return user


@transaction.atomic
def installation_admin_ensure(*, email: str, name: str) -> tuple[User, Outcome]:
    """Make sure the person is an installation administrator. A new account has no password:
    after the commit it is mailed a link to choose one (no password in a file)."""
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, name=name.strip(), is_installation_admin=True)
        from partners.tasks import installation_admin_welcome as task  # tasks import this module

        transaction.on_commit(lambda: task.delay(user.pk))
        return user, Outcome.CREATED
    if not user.is_active:
        raise ValidationError(
            _(
                "The account of %(email)s is deactivated, so it cannot be the installation "
                "administrator."
            )
            % {"email": user.email}
        )
    if user.is_installation_admin:
        return user, Outcome.UNCHANGED
    return installation_admin_set(user=user, granted=True), Outcome.UPDATED


def installation_admin_welcome_send(*, user_id: int) -> None:
    """Mail a new installation administrator the link to choose a password (allauth's password
    reset), in Dutch; nothing once they have one."""
    user = User.objects.get(pk=user_id)
    if user.has_usable_password() or not user.is_active:
        return
    key = default_token_generator.make_token(user)
    link = settings.SITE_URL + reverse(
        "account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key}
    )
    context = {
        "user": user,
        "link": link,
        "login": settings.SITE_URL + reverse("account_login"),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("emails/installation_admin_subject.txt", context).strip()
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("emails/installation_admin.txt", context),
            to=[user.email],
        )
        message.attach_alternative(
            render_to_string("emails/installation_admin.html", context), "text/html"
        )
    message.send()


@transaction.atomic
def organisation_setup(*, user: User, name: str, kind: str) -> tuple[Organisation, Outcome]:
    """Make an organisation of a kind, or change its kind while nobody works there yet (what a
    member sees follows the kind)."""
    installation_admin_check(user)
    if kind not in Organisation.Kind.values:
        raise ValidationError(_("Choose one of the kinds of organisation."))
    organisation = Organisation.objects.select_for_update().filter(name=name).first()
    if organisation is None:
        return Organisation.objects.create(name=name, kind=kind), Outcome.CREATED
    if organisation.kind == kind:
        return organisation, Outcome.UNCHANGED
    if Membership.objects.active().filter(organisation=organisation).exists():
        raise ValidationError(
            _(
                "%(organisation)s is a %(kind)s and people work there already, so its kind "
                "no longer changes."
            )
            % {"organisation": organisation.name, "kind": organisation.get_kind_display()}
        )
    organisation.kind = kind
    organisation.save(update_fields=["kind"])
    return organisation, Outcome.UPDATED


@transaction.atomic
def neighbourhood_setup(
    *, user: User, code: str, name: str, municipality: str, district: Neighbourhood | None = None
) -> tuple[Neighbourhood, Outcome]:
    """Make or update a wijk (no `district`) or a buurt in its wijk, found by its CBS code."""
    installation_admin_check(user)
    if district is None:
        problem = cbs_district_problem(code)
        kind = Neighbourhood.Kind.WIJK
    else:
        problem = cbs_neighbourhood_problem(code, district=district.cbs_code)
        kind = Neighbourhood.Kind.BUURT
    if problem:
        raise ValidationError(problem)
    wanted = {
        "name": name.strip(),
        "kind": kind,
        "municipality": municipality.strip(),
        "parent_id": district.pk if district else None,
    }
    neighbourhood = Neighbourhood.objects.select_for_update().filter(cbs_code=code).first()
    if neighbourhood is None:
        return Neighbourhood.objects.create(cbs_code=code, **wanted), Outcome.CREATED
    changed = [field for field, value in wanted.items() if getattr(neighbourhood, field) != value]
    if not changed:
        return neighbourhood, Outcome.UNCHANGED
    for field in changed:
        setattr(neighbourhood, field, wanted[field])
    neighbourhood.save(update_fields=changed)
    return neighbourhood, Outcome.UPDATED
