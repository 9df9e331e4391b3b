"""Households at an address rented from a corporation, their residents and complexes; the one
door to them is HouseholdQuerySet.visible_to, which applies cases.access.rules."""

from collections.abc import Iterable

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import rules
from cases.validators import NAME_KEY_LENGTH, address_key, name_key, validate_postcode
from cases.workflow import AccessBasis
from partners.models import Membership, Neighbourhood, Organisation

phone_validator = RegexValidator(
    r"^\+?[0-9 ()-]{6,20}$", _("Enter a phone number of digits, like 06 12345678.")
)


class Complex(models.Model):
    """A corporation's building complex in a neighbourhood."""

    corporation = models.ForeignKey(
        Organisation, verbose_name=_("corporation"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("complex number"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    neighbourhood = models.ForeignKey(
        Neighbourhood, verbose_name=_("neighbourhood"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("complex")
        verbose_name_plural = _("complexes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["corporation", "code"], name="complex_code_unique")
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


def _model(relation: str):
    """The model at the other end of one of Household's reverse relations (`referrals`,
    `consents`, `emergency_accesses`, `joint_cases.participants`): the QuerySets below reach the
    models that point at households without importing them, which would be a cycle."""
    model = Household
    for name in relation.split("."):
        model = model._meta.get_field(name).related_model
    return model


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, actor: Membership, *, ids_first: bool = False):
        """The one door to households: the corporation's own members; an organisation that
        received a referral, while it is open and for REFERRAL_ACCESS_DAYS_AFTER_CLOSE days
        after, as long as its legal basis holds; an organisation taking part in an open
        joint case on a consent in force. Withdrawn consent closes the door at once. An
        emergency access does not open this door: it has its own narrow one,
        `in_emergency_for`, read only by the emergency page (ADR 0010).

        `ids_first` reads the households shared with the actor first (one query; for a
        corporation usually none), so that a list over a corporation's tens of thousands of
        households follows an index on the corporation instead of testing every household
        of the country against the shares (ADR 0012). Same rules, same result. A list that
        has its households already (a list of referrals) asks `shared_bases` instead."""
        if not rules.acts_for_organisation(actor):
            return self.none()

        org = actor.organisation_id
        if ids_first:
            return self.filter(rules.own_or_shared_q(org, self.shared_ids(actor)))
        shared = _model("referrals").objects.shared_with(org).values("household_id")
        on_consent = (
            _model("joint_cases.participants")
            .objects.on_consent_in_force(org)
            .values("case__household_id")
        )
        return self.filter(rules.own_or_shared_q(org, shared, on_consent))

    def shared_ids(self, actor: Membership) -> set[int]:
        """The ids of the households visible_to(actor) shows besides its own corporation's:
        shared through a referral or an open joint case on consent (one query)."""
        org = actor.organisation_id
        shared = _model("referrals").objects.shared_with(org).values_list("household_id", flat=True)
        on_consent = (
            _model("joint_cases.participants")
            .objects.on_consent_in_force(org)
            .values_list("case__household_id", flat=True)
        )
        # No ORDER BY inside a UNION (SQLite refuses it; PostgreSQL does not need it).
        return set(shared.order_by().union(on_consent.order_by()))

    def shared_bases(self, actor: Membership, *, among: Iterable[int]) -> dict[int, str]:
        """Of the households `among` (ids), those shared with the actor's organisation as
        shared_ids counts them (same shares, same rules), each with the legal basis of its
        share: the basis of the latest referral that shares it (consent or
        vroegsignalering), else consent through an open joint case. One query, however many
        households: a list that has its households already marks with it which it may still
        show and logs each on its basis (ADR 0012)."""
        org = actor.organisation_id
        among = set(among)
        if not among:
            return {}
        shared = (
            _model("referrals")
            .objects.shared_with(org)
            .filter(household_id__in=among)
            .values_list("household_id", "legal_basis", "sent_at")
        )
        on_consent = (
            _model("joint_cases.participants")
            .objects.on_consent_in_force(org)
            .filter(case__household_id__in=among)
            .values_list(
                "case__household_id",
                Value(AccessBasis.CONSENT, output_field=models.CharField()),
                Value(None, output_field=models.DateTimeField()),
            )
        )
        latest: dict[int, tuple] = {}
        consent: set[int] = set()
        for household_id, basis, sent_at in shared.order_by().union(on_consent.order_by()):
            if sent_at is None:
                consent.add(household_id)
            elif household_id not in latest or sent_at > latest[household_id][0]:
                latest[household_id] = (sent_at, basis)
        return {
            household_id: rules.basis_of(
                own=False,
                referral_basis=latest[household_id][1] if household_id in latest else None,
                on_consent=household_id in consent,
            )
            for household_id in latest.keys() | consent
        }

    def in_emergency_for(self, actor: Membership):
        """Households the actor opened in an emergency whose window is open now: that person,
        acting for that organisation, never their colleagues. Only the emergency page reads
        through this door; no list, search, household page or service does (ADR 0010)."""
        if not rules.acts_for_organisation(actor):
            return self.none()

        opened = _model("emergency_accesses").objects.active_for(actor).values("household_id")
        return self.filter(pk__in=opened, anonymised_at__isnull=True)

    def held_by(self, organisation_id: int):
        """Households the organisation holds any record about, for its privacy officer (AVG
        art. 15): its own tenants, and those it referred, was referred, took part in a case
        for, received consent for, or opened in an emergency. What of them it may still read
        is decided per section (cases.selectors.avg)."""
        org = organisation_id
        referred = (
            _model("referrals")
            .objects.filter(Q(from_organisation_id=org) | Q(to_organisation_id=org))
            .values("household_id")
        )
        in_case = (
            _model("joint_cases.participants")
            .objects.filter(organisation_id=org)
            .values("case__household_id")
        )
        consented = (
            _model("consents").objects.filter(receiving_organisation_id=org).values("household_id")
        )
        opened = (
            _model("emergency_accesses").objects.filter(organisation_id=org).values("household_id")
        )
        return self.filter(rules.own_or_shared_q(org, referred, in_case, consented, opened))


class Household(models.Model):
    """A household at an address rented from a corporation."""

    corporation = models.ForeignKey(
        Organisation, verbose_name=_("corporation"), on_delete=models.PROTECT, related_name="+"
    )
    tenancy_reference = models.CharField(_("tenancy reference"), max_length=50)
    street = models.CharField(_("street"), max_length=200)
    house_number = models.PositiveIntegerField(
        _("house number"), validators=[MinValueValidator(1), MaxValueValidator(99999)]
    )
    house_number_addition = models.CharField(_("addition"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, validators=[validate_postcode])
    town = models.CharField(_("town"), max_length=100)
    neighbourhood = models.ForeignKey(
        Neighbourhood, verbose_name=_("neighbourhood"), on_delete=models.PROTECT, related_name="+"
    )
    complex = models.ForeignKey(
        Complex,
        verbose_name=_("complex"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(_("e-mail address"), blank=True)
    # The address's place, for the distance to helpers (ADR 0034): entered, imported or from
    # the postcode's centroid.
    latitude = models.DecimalField(max_digits=8, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Set when the household's data was erased on request (ADR 0010): names, contact data and
    # free text are gone, the counts stay.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    # The address as possible duplicates are found by it (cases.validators.address_key): kept
    # by save() and by every bulk write (the import), ADR 0026.
    address_key = models.CharField(
        max_length=40, blank=True, default="", db_default="", editable=False
    )
    # Merged into another household by an administrator (ADR 0026): this one stays as a closed
    # record that points to the one that goes on; its visits, signals, residents, consents,
    # referrals, cases and packages went there.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="absorbed",
    )
    merged_at = models.DateTimeField(_("merged"), null=True, blank=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["street", "house_number", "house_number_addition"]
        constraints = [
            models.UniqueConstraint(
                fields=["corporation", "tenancy_reference"], name="household_tenancy_unique"
            ),
            models.CheckConstraint(
                condition=Q(house_number__gte=1), name="household_number_positive"
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("id")), name="household_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True, merged_at__isnull=True)
                | Q(merged_into__isnull=False, merged_at__isnull=False),
                name="household_merged_with_date",
            ),
        ]
        indexes = [
            models.Index(
                fields=["corporation", "postcode", "house_number"], name="household_address"
            ),
            # The list's order, so a page of a corporation's households is read along it.
            models.Index(
                fields=["corporation", "street", "house_number", "house_number_addition", "id"],
                name="household_list_order",
            ),
            models.Index(fields=["corporation", "neighbourhood"], name="household_neighbourhood"),
            # The search by tenancy reference, in any case (cases.selectors.households).
            models.Index(
                F("corporation"), Upper("tenancy_reference"), name="household_tenancy_upper"
            ),
            # Possible duplicates at the same address, among the households still active
            # (cases.selectors.duplicates, ADR 0026).
            models.Index(
                fields=["corporation", "address_key"],
                condition=Q(merged_into__isnull=True),
                name="household_address_key",
            ),
        ]

    def __str__(self):
        return self.address

    def save(self, *args, **kwargs):
        self.address_key = address_key(self.postcode, self.house_number, self.house_number_addition)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & ADDRESS_FIELDS:
            kwargs["update_fields"] = {*update_fields, "address_key"}
        super().save(*args, **kwargs)

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    @property
    def address(self) -> str:
        return f"{self.street} {self.house_number_display}, {self.postcode} {self.town}"

    @property
    def house_number_display(self) -> str:
        if self.house_number_addition:
            return f"{self.house_number}-{self.house_number_addition}"
        return str(self.house_number)


# The fields address_key is made of.
ADDRESS_FIELDS = {"postcode", "house_number", "house_number_addition"}


class Resident(models.Model):
    """A person in a household: no more than name, year of birth, and whether they are the
    main tenant (hoofdhuurder) or a co-tenant (medehuurder) on the tenancy; else a resident."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="residents")
    name = models.CharField(_("name"), max_length=150)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    is_main_tenant = models.BooleanField(_("main tenant"), default=False)
    is_co_tenant = models.BooleanField(_("co-tenant"), default=False)
    # The name as possible duplicates are found by it (cases.validators.name_key): kept by
    # save() and by every bulk write (the import, erasure), ADR 0026.
    name_key = models.CharField(
        max_length=NAME_KEY_LENGTH, blank=True, default="", db_default="", editable=False
    )

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["-is_main_tenant", "-is_co_tenant", "name"]
        indexes = [
            models.Index(fields=["name"], name="resident_name"),
            # The same person under another tenancy reference (ADR 0026).
            models.Index(fields=["name_key", "birth_year"], name="resident_name_key"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(is_main_tenant=True, is_co_tenant=True),
                name="resident_main_or_co_tenant",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)
