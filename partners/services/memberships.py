"""Memberships of organisations: invitations sent, accepted and revoked, roles changed, a
membership ended and a person deactivated, each ending their sessions where it must."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partners.models import Invitation, Membership, Organisation, User, token_hash
from partners.sessions import sessions_end_for


def _require_admin_of(actor: Membership, organisation_id: int) -> None:
    if actor.role != Membership.Role.BEHEERDER or actor.organisation_id != organisation_id:
        raise ValidationError(_("Only an administrator of this organisation may do this."))


def _lock_organisation(organisation_id: int) -> None:
    """Serialise changes to one organisation's memberships, so two administrators who demote or
    end each other at the same moment cannot leave it without one."""
    Organisation.objects.select_for_update().filter(pk=organisation_id).first()


def _keeps_an_administrator(membership: Membership, *, new_role: str | None) -> bool:
    if membership.role != Membership.Role.BEHEERDER or new_role == Membership.Role.BEHEERDER:
        return True
    return (
        Membership.objects.active()
        .filter(organisation_id=membership.organisation_id, role=Membership.Role.BEHEERDER)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def invitation_create(*, actor: Membership, email: str, name: str, role: str) -> Invitation:
    """Invite a person by e-mail to join the actor's organisation in a role. An earlier open
    invitation for the same address is replaced, so only the newest link works."""
    _require_admin_of(actor, actor.organisation_id)
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")})
    email = User.objects.normalize_email(email).strip().lower()
    if (
        Membership.objects.active()
        .filter(organisation_id=actor.organisation_id, user__email__iexact=email)
        .exists()
    ):
        raise ValidationError(
            {
                "email": _("This person is already a member of %(organisation)s.")
                % {"organisation": actor.organisation.name}
            }
        )
    return _invitation_issue(
        organisation=actor.organisation, email=email, name=name, role=role, invited_by=actor.user
    )


def _invitation_issue(
    *, organisation: Organisation, email: str, name: str, role: str, invited_by: User
) -> Invitation:
    """Replace any open invitation of this address to the organisation by a new one, and mail
    its link after the commit."""
    now = timezone.now()
    Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        name=name.strip(),
        role=role,
        token_hash=token_hash(token),
        invited_by=invited_by,
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    link = settings.SITE_URL + reverse("partners:invitation_accept", args=[token])
    from partners.tasks import invitation_send as task  # tasks import this module

    transaction.on_commit(lambda: task.delay(invitation.pk, link))
    return invitation


@transaction.atomic
def invitation_create_first_administrator(
    *, inviter: User, organisation: Organisation, email: str, name: str
) -> tuple[Invitation | None, list[str]]:
    """Invite an organisation's first administrator, from an installation administrator (the
    set-up file, ADR 0020). Nothing is sent while the organisation has an administrator, the
    person is a member of it or an invitation to them is still open; an open invitation to
    another address as its first administrator is revoked (a corrected address replaces it).
    Returns the new invitation, if any, and the addresses whose invitation was revoked."""
    if not inviter.is_installation_admin or not inviter.is_active:
        raise ValidationError(
            _(
                "Only an installation administrator may invite an organisation's first "
                "administrator."
            )
        )
    _lock_organisation(organisation.pk)
    email = User.objects.normalize_email(email).strip().lower()
    members = Membership.objects.active().filter(organisation=organisation)
    if members.filter(role=Membership.Role.BEHEERDER).exists():
        return None, []
    if members.filter(user__email__iexact=email).exists():
        return None, []
    open_ones = Invitation.objects.filter(
        organisation=organisation,
        role=Membership.Role.BEHEERDER,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if open_ones.filter(email__iexact=email).exists():
        return None, []
    others = open_ones.filter(invited_by__is_installation_admin=True).exclude(email__iexact=email)
    revoked = sorted(others.values_list("email", flat=True))
    if revoked:
        others.update(revoked_at=timezone.now())
    invitation = _invitation_issue(
        organisation=organisation,
        email=email,
        name=name,
        role=Membership.Role.BEHEERDER,
        invited_by=inviter,
    )
    return invitation, revoked


def invitation_send(*, invitation_id: int, link: str) -> None:
    """Mail an invitation in Dutch (the invitee has not chosen a language yet), if still open."""
    invitation = Invitation.objects.select_related("organisation", "invited_by").get(
        pk=invitation_id
    )
    if not invitation.is_open:
        return
    context = {"invitation": invitation, "link": link}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("emails/invitation_subject.txt", context).strip()
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("emails/invitation.txt", context),
            to=[invitation.email],
        )
        message.attach_alternative(render_to_string("emails/invitation.html", context), "text/html")
    message.send()


@transaction.atomic
def invitation_revoke(*, actor: Membership, invitation: Invitation) -> None:
    """Make an invitation's link stop working."""
    _require_admin_of(actor, invitation.organisation_id)
    if not invitation.is_open:
        raise ValidationError(_("This invitation has already been used, revoked or expired."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User | None = None, name: str = "", password: str = ""
) -> Membership:
    """Turn an open invitation into a membership: for the logged-in `user` it was sent to, or
    for a new account with `name` and `password`."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("This invitation has already been used, revoked or expired."))
    if user is None:
        if get_user_model().objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _("An account for %(email)s exists already. Log in to accept the invitation.")
                % {"email": invitation.email}
            )
        candidate = User(email=invitation.email, name=name.strip())
        try:
            validate_password(password, user=candidate)
        except ValidationError as exc:
            raise ValidationError({"password1": exc.messages}) from None
        user = User.objects.create_user(email=invitation.email, password=password, name=name)
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s. Log in with that address to accept it.")
            % {"email": invitation.email}
        )
    if (
        Membership.objects.active()
        .filter(user=user, organisation_id=invitation.organisation_id)
        .exists()
    ):
        raise ValidationError(_("You are already a member of this organisation."))
    membership = Membership.objects.create(
        user=user, organisation_id=invitation.organisation_id, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


@transaction.atomic
def membership_change_role(*, actor: Membership, membership: Membership, role: str) -> Membership:
    """Give a member another role in the actor's organisation."""
    _require_admin_of(actor, membership.organisation_id)
    _lock_organisation(membership.organisation_id)
    membership.refresh_from_db()
    if not membership.is_active:
        raise ValidationError(_("This membership has ended."))
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")})
    if not _keeps_an_administrator(membership, new_role=role):
        raise ValidationError(
            {
                "role": _("%(organisation)s needs at least one administrator.")
                % {"organisation": membership.organisation.name}
            }
        )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_update(
    *,
    actor: Membership,
    membership: Membership,
    role: str,
    neighbourhoods,
    receives_referrals: bool = False,
) -> Membership:
    """Change a member's role, the neighbourhoods they work in and whether they are intake."""
    membership = membership_change_role(actor=actor, membership=membership, role=role)
    membership.neighbourhoods.set(neighbourhoods)
    if membership.receives_referrals != receives_referrals:
        membership.receives_referrals = receives_referrals
        membership.save(update_fields=["receives_referrals"])
    return membership


@transaction.atomic
def membership_end(*, actor: Membership, membership: Membership) -> Membership:
    """End a membership. When it was the person's last, their sessions end at once."""
    _require_admin_of(actor, membership.organisation_id)
    _lock_organisation(membership.organisation_id)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        raise ValidationError(_("This membership has already ended."))
    if not _keeps_an_administrator(membership, new_role=None):
        raise ValidationError(
            _("%(organisation)s needs at least one administrator.")
            % {"organisation": membership.organisation.name}
        )
    membership.ended_at = timezone.now()
    membership.ended_by = actor.user
    membership.save(update_fields=["ended_at", "ended_by"])
    if not Membership.objects.active().filter(user_id=membership.user_id).exists():
        sessions_end_for(user_id=membership.user_id)
    return membership


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """Stop a person from logging in anywhere and end all their sessions at once."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    sessions_end_for(user_id=user.pk)
    return user


@transaction.atomic
def installation_admin_set(*, user: User, granted: bool) -> User:
    """Make a person an installation administrator, or no longer one (operators, from the
    command line). Taking the role away ends their sessions, so it stops at once."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_installation_admin == granted:
        return user
    user.is_installation_admin = granted
    user.save(update_fields=["is_installation_admin"])
    if not granted:
        sessions_end_for(user_id=user.pk)
    return user
