"""Referrals through the API (ADR 0025): the referrals addressed to the client's organisation,
one of them, and its answers (accept, decline with a reason, complete with an outcome) as
operations on it (design rule /core/resource-operations), through the same selectors and
workflow services as the pages. Each answer names the version it was made on (`versie`): one
changed meanwhile is a 409 that says what it is now and who changed it."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse

from cases.selectors import referrals as selectors
from cases.services import referrals as services
from cases.workflow import DeclineReason, ReferralOutcome, ReferralStatus
from inclusie.api.pagination import PARAMETERS, page_of, page_request, paged
from inclusie.api.problems import problem
from inclusie.api.views import ApiView
from partners.models import ApiClient

READ = ApiClient.Scope.REFERRALS_READ
WRITE = ApiClient.Scope.REFERRALS_WRITE


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    naam = serializers.CharField(source="name")


class ReferredHouseholdSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    straat = serializers.CharField(source="street")
    huisnummer = serializers.IntegerField(source="house_number")
    huisnummertoevoeging = serializers.CharField(source="house_number_addition")


class ReferralSerializer(serializers.Serializer):
    """A referral as a list shows it. `huishouden` is empty once the household is no longer
    shared with the organisation (its period ended, or consent was withdrawn)."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    versie = serializers.IntegerField(source="version")
    van = OrganisationSerializer(source="from_organisation")
    aan = OrganisationSerializer(source="to_organisation")
    verzondenOp = serializers.DateTimeField(source="sent_at")  # noqa: N815
    reagerenVoor = serializers.DateField(source="deadline")  # noqa: N815
    uitkomst = serializers.ChoiceField(
        source="outcome", choices=ReferralOutcome.choices, allow_blank=True
    )
    huishouden = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_huishouden(self, referral) -> ReferredHouseholdSerializer(allow_null=True):
        if not referral.household_visible:
            return None
        return ReferredHouseholdSerializer(referral.household).data

    def get_url(self, referral) -> str:
        return reverse("api:referral", args=[referral.pk], request=self.context["request"])


class SignalSerializer(serializers.Serializer):
    categorie = serializers.CharField(source="category.name")
    ernst = serializers.CharField(source="severity")


class ReferralDetailSerializer(ReferralSerializer):
    """One referral, with what the sender wrote and what the receiver answered while the
    household is shared (free text is withheld after)."""

    grondslag = serializers.CharField(source="legal_basis")
    bericht = serializers.CharField(source="message")
    redenWeigering = serializers.ChoiceField(  # noqa: N815
        source="decline_category", choices=DeclineReason.choices, allow_blank=True
    )
    toelichtingWeigering = serializers.CharField(source="decline_reason")  # noqa: N815
    toelichtingUitkomst = serializers.CharField(source="outcome_note")  # noqa: N815
    beantwoordOp = serializers.DateTimeField(source="responded_at", allow_null=True)  # noqa: N815
    afgeslotenOp = serializers.DateTimeField(source="closed_at", allow_null=True)  # noqa: N815
    signalen = serializers.SerializerMethodField()

    def get_signalen(self, referral) -> SignalSerializer(many=True):
        if not referral.household_visible:
            return []
        return SignalSerializer(selectors.referral_signals(referral=referral), many=True).data


class ReferralPage(ApiView):
    scopes = {"GET": READ}

    @extend_schema(
        operation_id="verwijzingen_lijst",
        summary="Verwijzingen aan je organisatie",
        description="De verwijzingen aan je organisatie, de eerste streefdatum eerst.",
        parameters=[
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=ReferralStatus.values, description="Alleen deze."
            ),
            *PARAMETERS,
        ],
        responses=page_of(ReferralSerializer, "VerwijzingPagina"),
    )
    def get(self, request):
        number, size = page_request(request)
        status = request.query_params.get("status", "")
        if status and status not in ReferralStatus.values:
            raise exceptions.ValidationError({"status": [_("Choose one of the statuses.")]})
        page = selectors.referral_received_page(
            actor=request.auth, status=status, page=number, per_page=size
        )
        rows = ReferralSerializer(page.object_list, many=True, context={"request": request})
        return paged(request, page, rows.data)


def _detail(request, referral) -> Response:
    return Response(ReferralDetailSerializer(referral, context={"request": request}).data)


class ReferralOne(ApiView):
    scopes = {"GET": READ}

    @extend_schema(
        operation_id="verwijzing_lezen",
        summary="Eén verwijzing aan je organisatie",
        responses=ReferralDetailSerializer,
    )
    def get(self, request, pk: int):
        return _detail(request, selectors.referral_get(actor=request.auth, pk=pk, received=True))


class AnswerSerializer(serializers.Serializer):
    versie = serializers.IntegerField(
        min_value=1, help_text="De versie van de verwijzing waarop je antwoordt."
    )


class DeclineSerializer(AnswerSerializer):
    reden = serializers.ChoiceField(choices=DeclineReason.choices)
    toelichting = serializers.CharField(max_length=500)


class CompleteSerializer(AnswerSerializer):
    uitkomst = serializers.ChoiceField(choices=ReferralOutcome.choices)
    toelichting = serializers.CharField(max_length=2000, required=False, allow_blank=True)


# Per operation: the service, what it takes from the body, and the schema's words.
ANSWERS = {
    "accept": (AnswerSerializer, services.referral_accept, {}),
    "decline": (
        DeclineSerializer,
        services.referral_decline,
        {"reden": "category", "toelichting": "reason"},
    ),
    "complete": (
        CompleteSerializer,
        services.referral_complete,
        {"uitkomst": "outcome", "toelichting": "note"},
    ),
}
# What a service's field errors are called in the API.
FIELDS = {
    "category": "reden",
    "reason": "toelichting",
    "outcome": "uitkomst",
    "note": "toelichting",
}


def _answer(request, pk: int, answer: str) -> Response:
    """Take one answer to a referral addressed to the client's organisation (404 for any
    other), on the version the client names."""
    serializer_class, service, fields = ANSWERS[answer]
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    given = body.validated_data
    referral = selectors.referral_get(actor=request.auth, pk=pk, log=False, received=True)
    try:
        service(
            actor=request.auth,
            referral=referral,
            version=given["versie"],
            **{to: given[name] for name, to in fields.items() if name in given},
        )
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise exceptions.ValidationError(
                {FIELDS.get(name, name): errors for name, errors in exc.message_dict.items()}
            ) from exc
        # Changed meanwhile, or no longer in a state that takes this answer.
        return problem(409, " ".join(exc.messages), request=request)
    referral = selectors.referral_get(actor=request.auth, pk=pk, log=False, received=True)
    return _detail(request, referral)


CONFLICT = OpenApiResponse(
    description="De verwijzing is intussen gewijzigd, of kan dit antwoord niet meer krijgen."
)


class ReferralAccept(ApiView):
    scopes = {"POST": WRITE}

    @extend_schema(
        operation_id="verwijzing_accepteren",
        summary="Een verwijzing accepteren",
        request=AnswerSerializer,
        responses={200: ReferralDetailSerializer, 409: CONFLICT},
    )
    def post(self, request, pk: int):
        return _answer(request, pk, "accept")


class ReferralDecline(ApiView):
    scopes = {"POST": WRITE}

    @extend_schema(
        operation_id="verwijzing_weigeren",
        summary="Een verwijzing weigeren, met de reden",
        request=DeclineSerializer,
        responses={200: ReferralDetailSerializer, 409: CONFLICT},
    )
    def post(self, request, pk: int):
        return _answer(request, pk, "decline")


class ReferralComplete(ApiView):
    scopes = {"POST": WRITE}

    @extend_schema(
        operation_id="verwijzing_afronden",
        summary="Een verwijzing afronden, met de uitkomst",
        request=CompleteSerializer,
        responses={200: ReferralDetailSerializer, 409: CONFLICT},
    )
    def post(self, request, pk: int):
        return _answer(request, pk, "complete")
