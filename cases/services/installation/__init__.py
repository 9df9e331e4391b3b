"""Setting up an installation from one file (`manage.py setup_installation`, ADR 0020).

What the file names is checked against Inclusie first; then everything is written in one
transaction by an installation administrator, through each subject's service, which writes only
what differs. A problem anywhere rolls all of it back, and a dry run rolls back what it did, so
the e-mails it queued after the commit are never sent. Each change is told in one Dutch line."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from cases.models import SignalCategory
from cases.services.agreements import agreement_setup
from cases.services.installation.nodes import Problem, SetupFileError
from cases.services.installation.parsing import SetupFile
from cases.services.signals import signal_category_setup
from partners.models import Organisation, User
from partners.services.installation import (
    Outcome,
    installation_admin_check,
    installation_admin_ensure,
    neighbourhood_setup,
    organisation_setup,
)
from partners.services.memberships import invitation_create_first_administrator

CREATED, UPDATED = Outcome.CREATED, Outcome.UPDATED


@dataclass(frozen=True)
class SetupResult:
    changes: list[str]
    dry_run: bool


def installation_setup(
    *, setup: SetupFile, acting_email: str | None = None, dry_run: bool = False
) -> SetupResult:
    """Make Inclusie hold what the set-up file describes, acting as the installation
    administrator `acting_email` or the one the file names. Raises SetupFileError (with lines)
    or ValidationError, and then nothing has changed."""
    problems = _unknown_references(setup)
    if problems:
        raise SetupFileError(problems)
    acting = _acting(acting_email, setup)
    with transaction.atomic():
        _one_run_at_a_time()
        run = _Run()
        run.apply(setup, acting)
        if run.problems or dry_run:
            transaction.set_rollback(True)
    if run.problems:
        raise SetupFileError(run.problems)
    return SetupResult(changes=run.changes, dry_run=dry_run)


# The key of the transaction-level advisory lock that lets one set-up run write at a time.
SETUP_LOCK = 0x1C1_5E7


def _one_run_at_a_time() -> None:
    """Two runs at once (two operators, a deploy job started twice) wait for each other rather
    than both inserting the same agreement or one stopping on a unique name: the second sees
    what the first wrote. PostgreSQL holds the lock until the transaction ends; SQLite writes
    one transaction at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SETUP_LOCK])


def _acting(acting_email: str | None, setup: SetupFile) -> User | None:
    """The installation administrator given with --as; None when the file's one acts."""
    if acting_email:
        user = User.objects.filter(email__iexact=acting_email.strip()).first()
        if user is None or not user.is_active or not user.is_installation_admin:
            raise ValidationError(
                _(
                    "--as %(email)s: this is not an installation administrator. Grant the role "
                    "with `manage.py installation_admin grant`, or name the installation "
                    "administrator in the file (installation_admin)."
                )
                % {"email": acting_email}
            )
        return user
    if setup.installation_admin is None:
        raise ValidationError(
            _(
                "Who sets this up? Name the installation administrator in the file "
                "(installation_admin, with email and name), or give the e-mail address of one "
                "with --as."
            )
        )
    return None


def _unknown_references(setup: SetupFile) -> list[Problem]:
    """Organisations and categories an agreement names that are neither in the file nor in
    Inclusie."""
    organisations = {item.name for item in setup.organisations}
    named = {name for a in setup.agreements for name in (a.organisation, a.partner)}
    organisations |= set(Organisation.objects.filter(name__in=named).values_list("name", flat=True))
    codes = {item.code for item in setup.categories}
    named = {code for a in setup.agreements for code in a.categories}
    codes |= set(SignalCategory.objects.filter(code__in=named).values_list("code", flat=True))
    problems = []
    for agreement in setup.agreements:
        for key in ("organisation", "partner"):
            name = getattr(agreement, key)
            if name not in organisations:
                problems.append(
                    Problem(
                        agreement.at[key],
                        _(
                            "Organisation “%(name)s” is neither in this file (organisations) "
                            "nor in Inclusie."
                        )
                        % {"name": name},
                    )
                )
        for code in agreement.categories:
            if code not in codes:
                problems.append(
                    Problem(
                        agreement.at[code],
                        _(
                            "Signal category “%(code)s” is neither in this file "
                            "(signal_categories) nor in Inclusie."
                        )
                        % {"code": code},
                    )
                )
    return problems


class _Run:
    """One application of the file: the changes made and the problems met, in file order."""

    def __init__(self):
        self.changes: list[str] = []
        self.problems: list[Problem] = []

    def attempt(self, line: int, write, *, at: dict | None = None):
        """The service's result, or None with its refusal noted at `line`, or at the line of
        the key it names (`at`); its savepoint is rolled back, the whole run at the end."""
        try:
            return write()
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for key, errors in exc.message_dict.items():
                    where = (at or {}).get(key, line)
                    self.problems.append(Problem(where, " ".join(errors)))
            else:
                self.problems.append(Problem(line, " ".join(exc.messages)))
            return None

    def apply(self, setup: SetupFile, acting: User | None) -> None:
        person = setup.installation_admin
        if person is not None:
            done = self.attempt(
                person.line,
                lambda: installation_admin_ensure(email=person.email, name=person.name),
            )
            if done is None:
                return
            user, outcome = done
            acting = acting or user
            if outcome == CREATED:
                self.changes.append(
                    _(
                        "New installation administrator: %(email)s (a link to choose a password "
                        "goes to this address)"
                    )
                    % {"email": user.email}
                )
            elif outcome == UPDATED:
                self.changes.append(
                    _("Installation administrator from now on: %(email)s") % {"email": user.email}
                )
        installation_admin_check(acting)
        organisations = self.organisations(setup, acting)
        self.neighbourhoods(setup, acting)
        categories = self.categories(setup, acting)
        self.agreements(setup, acting, organisations, categories)
        self.invitations(setup, acting, organisations)

    def organisations(self, setup, user) -> dict[str, Organisation]:
        found = {}
        for item in setup.organisations:
            done = self.attempt(
                item.at["kind"],
                lambda item=item: organisation_setup(user=user, name=item.name, kind=item.kind),
            )
            if done is None:
                continue
            organisation, outcome = done
            found[item.name] = organisation
            values = {"name": item.name, "kind": organisation.get_kind_display()}
            if outcome == CREATED:
                self.changes.append(_("New organisation: %(name)s (%(kind)s)") % values)
            elif outcome == UPDATED:
                self.changes.append(_("Organisation %(name)s: kind becomes %(kind)s") % values)
        return found

    def neighbourhoods(self, setup, user) -> None:
        districts = {}
        for item in setup.neighbourhoods:
            district = None
            if item.district is not None:
                district = districts.get(item.district)
                if district is None:
                    continue  # its wijk was refused; that is told already
            done = self.attempt(
                item.line,
                lambda item=item, district=district: neighbourhood_setup(
                    user=user,
                    code=item.code,
                    name=item.name,
                    municipality=item.municipality,
                    district=district,
                ),
            )
            if done is None:
                continue
            neighbourhood, outcome = done
            values = {"code": item.code, "name": item.name, "district": item.district}
            if district is None:
                districts[item.code] = neighbourhood
                values["municipality"] = item.municipality
                if outcome == CREATED:
                    self.changes.append(
                        _("New district: %(code)s %(name)s (%(municipality)s)") % values
                    )
                elif outcome == UPDATED:
                    self.changes.append(_("District %(code)s %(name)s: updated") % values)
            elif outcome == CREATED:
                self.changes.append(
                    _("New neighbourhood: %(code)s %(name)s in %(district)s") % values
                )
            elif outcome == UPDATED:
                self.changes.append(_("Neighbourhood %(code)s %(name)s: updated") % values)

    def categories(self, setup, user) -> dict[str, SignalCategory]:
        found = {}
        for item in setup.categories:
            done = self.attempt(
                item.line,
                lambda item=item: signal_category_setup(
                    user=user,
                    code=item.code,
                    name=item.name,
                    life_area=item.life_area,
                    usual_partner_kind=item.usual_partner_kind,
                    is_active=item.is_active,
                    position=item.position,
                    is_common=item.is_common,
                ),
            )
            if done is None:
                continue
            category, outcome = done
            found[item.code] = category
            values = {"code": item.code, "name": item.name}
            if outcome == CREATED:
                self.changes.append(_("New signal category: %(code)s (%(name)s)") % values)
            elif outcome == UPDATED:
                self.changes.append(_("Signal category %(code)s (%(name)s): updated") % values)
        return found

    def agreements(self, setup, user, organisations, categories) -> None:
        wanted = {name for a in setup.agreements for name in (a.organisation, a.partner)}
        organisations = {
            **{o.name: o for o in Organisation.objects.filter(name__in=wanted)},
            **organisations,
        }
        codes = {code for a in setup.agreements for code in a.categories}
        categories = {
            **{c.code: c for c in SignalCategory.objects.filter(code__in=codes)},
            **categories,
        }
        for item in setup.agreements:
            sides = [organisations.get(item.organisation), organisations.get(item.partner)]
            chosen = [categories.get(code) for code in item.categories]
            if None in sides or None in chosen:
                continue  # refused above (an organisation or a category); that is told already
            done = self.attempt(
                item.line,
                lambda item=item, sides=sides, chosen=chosen: agreement_setup(
                    user=user,
                    organisation=sides[0],
                    partner=sides[1],
                    categories=chosen,
                    response_days=item.response_days,
                    valid_from=item.valid_from,
                    valid_until=item.valid_until,
                ),
                at=item.at,
            )
            if done is None:
                continue
            values = {
                "organisation": item.organisation,
                "partner": item.partner,
                "date": item.valid_from.isoformat(),
            }
            if done[1] == CREATED:
                self.changes.append(
                    _("New agreement: %(organisation)s with %(partner)s from %(date)s") % values
                )
            elif done[1] == UPDATED:
                self.changes.append(
                    _("Agreement of %(organisation)s with %(partner)s from %(date)s: updated")
                    % values
                )

    def invitations(self, setup, user, organisations) -> None:
        for item in setup.organisations:
            organisation = organisations.get(item.name)
            if organisation is None:
                continue
            person = item.administrator
            done = self.attempt(
                person.line,
                lambda organisation=organisation, person=person: (
                    invitation_create_first_administrator(
                        inviter=user,
                        organisation=organisation,
                        email=person.email,
                        name=person.name,
                    )
                ),
            )
            if done is None:
                continue
            invitation, revoked = done
            for email in revoked:
                self.changes.append(
                    _("Invitation to %(email)s for %(organisation)s revoked")
                    % {"email": email, "organisation": item.name}
                )
            if invitation is not None:
                self.changes.append(
                    _("Invitation to %(email)s as the first administrator of %(organisation)s")
                    % {"email": invitation.email, "organisation": item.name}
                )
