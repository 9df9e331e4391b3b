"""Households through the API (ADR 0025): a page of the households the client's organisation
sees, filtered by district or neighbourhood (never by personal data: that is a search, POST
_zoek); one household; and the search by address or tenancy reference. Each starts from the
same selectors as the pages, so visible_to and the access log hold alike."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse

from cases.selectors.households import (
    HouseholdFilters,
    area_by_code,
    household_get,
    household_search_page,
)
from cases.validators import normalise_postcode
from inclusie.api.pagination import PARAMETERS, page_of, page_request, paged
from inclusie.api.views import ApiView
from partners.models import ApiClient, Neighbourhood

READ = ApiClient.Scope.HOUSEHOLDS_READ


class AddressSerializer(serializers.Serializer):
    straat = serializers.CharField(source="street")
    huisnummer = serializers.IntegerField(source="house_number")
    huisnummertoevoeging = serializers.CharField(source="house_number_addition")
    postcode = serializers.CharField()
    woonplaats = serializers.CharField(source="town")


class AreaSerializer(serializers.Serializer):
    code = serializers.CharField(source="cbs_code", help_text="De CBS-code van de buurt.")
    naam = serializers.CharField(source="name")


class HouseholdSerializer(serializers.Serializer):
    """A household as a list shows it: where it lives and how busy it is."""

    id = serializers.IntegerField()
    huurcontractnummer = serializers.CharField(source="tenancy_reference")
    adres = AddressSerializer(source="*")
    buurt = AreaSerializer(source="neighbourhood")
    complex = serializers.CharField(source="complex.code", allow_null=True, default=None)
    hoofdhuurder = serializers.SerializerMethodField()
    aantalOpenSignalen = serializers.IntegerField(source="open_signal_count", default=0)  # noqa: N815
    url = serializers.SerializerMethodField()

    def get_hoofdhuurder(self, household) -> str | None:
        main = [r for r in household.residents.all() if r.is_main_tenant]
        return main[0].name if main else None

    def get_url(self, household) -> str:
        return reverse("api:household", args=[household.pk], request=self.context["request"])


class ResidentSerializer(serializers.Serializer):
    naam = serializers.CharField(source="name")
    geboortejaar = serializers.IntegerField(source="birth_year", allow_null=True)
    rol = serializers.SerializerMethodField()

    def get_rol(self, resident) -> str:
        if resident.is_main_tenant:
            return "hoofdhuurder"
        return "medehuurder" if resident.is_co_tenant else "bewoner"


class HouseholdDetailSerializer(HouseholdSerializer):
    """One household: its residents and how to reach it as well."""

    aantalOpenSignalen = None  # noqa: N815  (the list's count; the page reads signals itself)
    corporatie = serializers.CharField(source="corporation.name")
    telefoon = serializers.CharField(source="phone")
    email = serializers.CharField()
    bewoners = ResidentSerializer(source="residents.all", many=True)


class HouseholdPage(ApiView):
    scopes = {"GET": READ}

    @extend_schema(
        operation_id="huishoudens_lijst",
        summary="Huishoudens",
        description=(
            "De huishoudens die je organisatie ziet, per pagina, op adres gesorteerd. Filter op "
            "wijk of buurt met de CBS-code; zoeken op persoonsgegevens gaat met POST _zoek."
        ),
        parameters=[
            OpenApiParameter(
                "wijk",
                OpenApiTypes.STR,
                description="CBS-code van een wijk of buurt, bijvoorbeeld WK036301.",
            ),
            *PARAMETERS,
        ],
        responses=page_of(HouseholdSerializer, "HuishoudenPagina"),
    )
    def get(self, request):
        number, size = page_request(request)
        filters = HouseholdFilters(neighbourhood=_area(request.query_params.get("wijk", "")))
        page = household_search_page(
            actor=request.auth, filters=filters, page=number, per_page=size
        )
        rows = HouseholdSerializer(page.object_list, many=True, context={"request": request})
        return paged(request, page, rows.data)


def _area(code: str) -> Neighbourhood | None:
    if not code:
        return None
    area = area_by_code(code)
    if area is None:
        raise serializers.ValidationError(
            {"wijk": [_("No district or neighbourhood has this code.")]}
        )
    return area


class HouseholdOne(ApiView):
    scopes = {"GET": READ}

    @extend_schema(
        operation_id="huishouden_lezen",
        summary="Eén huishouden",
        responses=HouseholdDetailSerializer,
    )
    def get(self, request, pk: int):
        household = household_get(actor=request.auth, pk=pk)
        return Response(HouseholdDetailSerializer(household, context={"request": request}).data)


class SearchSerializer(serializers.Serializer):
    """By address (postcode and house number, with the addition if there is one) or by the
    tenancy reference: one of the two."""

    postcode = serializers.CharField(required=False)
    huisnummer = serializers.IntegerField(required=False, min_value=1, max_value=99999)
    huisnummertoevoeging = serializers.CharField(required=False, allow_blank=True, max_length=10)
    huurcontractnummer = serializers.CharField(required=False, max_length=50)

    def validate_postcode(self, value):
        try:
            return normalise_postcode(value)
        except DjangoValidationError as exc:  # the validator's own Dutch message
            raise serializers.ValidationError(exc.messages) from exc

    def validate(self, data):
        by_address = "postcode" in data or "huisnummer" in data
        by_reference = "huurcontractnummer" in data
        if by_address == by_reference:
            raise serializers.ValidationError(
                _("Search by postcode and house number, or by tenancy reference: one of them.")
            )
        if by_address and not ("postcode" in data and "huisnummer" in data):
            missing = "huisnummer" if "postcode" in data else "postcode"
            raise serializers.ValidationError({missing: [_("Give the postcode and house number.")]})
        return data

    def filters(self) -> HouseholdFilters:
        """What the household search reads: the reference exactly, or the address as a person
        would type it."""
        data = self.validated_data
        if "huurcontractnummer" in data:
            return HouseholdFilters(tenancy_reference=data["huurcontractnummer"])
        addition = data.get("huisnummertoevoeging", "").strip()
        return HouseholdFilters(query=f"{data['postcode']} {data['huisnummer']} {addition}".strip())


class HouseholdSearch(ApiView):
    scopes = {"POST": READ}

    @extend_schema(
        operation_id="huishoudens_zoeken",
        summary="Huishoudens zoeken",
        description=(
            "Zoekt op adres (postcode en huisnummer, met toevoeging) of op huurcontractnummer. "
            "Een zoekvraag met persoonsgegevens hoort niet in een URL: daarom POST."
        ),
        parameters=PARAMETERS,
        request=SearchSerializer,
        responses=page_of(HouseholdSerializer, "HuishoudenZoekresultaat"),
    )
    def post(self, request):
        number, size = page_request(request)
        search = SearchSerializer(data=request.data)
        search.is_valid(raise_exception=True)
        page = household_search_page(
            actor=request.auth,
            filters=search.filters(),
            page=number,
            per_page=size,
        )
        rows = HouseholdSerializer(page.object_list, many=True, context={"request": request})
        return paged(request, page, rows.data)
