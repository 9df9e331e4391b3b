"""The rental system sends its tenancies (ADR 0027): a batch of VERA-shaped huurovereenkomsten
is read into the rows the CSV import checks, stored and checked as an uploaded file is, and
imported all or nothing by the same services; the answer tells per record whether it is valid,
with the VERA field and a Dutch reason, and names possible duplicates (ADR 0026). The import is
a resource of its own (`imports/{id}`), read back for its state as a person reads it on the
import page."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse

from cases.selectors.imports import (
    household_import_duplicates,
    household_import_duplicates_shown,
    household_import_get,
)
from cases.services.imports import (
    failure_message,
    household_import_create,
    household_import_start,
)
from cases.services.imports.parsing import FileError
from cases.services.imports.vera import (
    is_vera_batch,
    vera_batch_message,
    vera_batch_read,
    vera_record_results,
)
from inclusie.api.problems import problem
from inclusie.api.views import ApiView
from partners.models import ApiClient, Organisation

IMPORT = ApiClient.Scope.HOUSEHOLDS_IMPORT
# An import's state (HouseholdImport.Status, as `shown_status` gives it) as the API names it.
STATES = {
    "invalid": "ongeldig",
    "validated": "gecontroleerd",
    "running": "bezig",
    "done": "geimporteerd",
    "failed": "mislukt",
}


class RecordProblemSerializer(serializers.Serializer):
    veld = serializers.CharField(help_text="Het VERA-veld, bijvoorbeeld relaties[0].achternaam.")
    code = serializers.CharField()
    melding = serializers.CharField(help_text="Wat er niet klopt, in het Nederlands.")


class RecordSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="De plaats van de huurovereenkomst in de batch.")
    huurovereenkomst = serializers.CharField(help_text="De code van de huurovereenkomst.")
    geldig = serializers.BooleanField()
    fouten = RecordProblemSerializer(many=True)


class MatchSerializer(serializers.Serializer):
    huishouden = serializers.IntegerField(
        allow_null=True, help_text="Het huishouden dat er al is; leeg voor een andere regel."
    )
    huurovereenkomst = serializers.CharField()
    zelfdeAdres = serializers.BooleanField()  # noqa: N815
    zelfdeBewoners = serializers.IntegerField(  # noqa: N815
        help_text="Hoeveel bewoners met dezelfde naam en hetzelfde geboortejaar er ook wonen."
    )


class DuplicateSerializer(serializers.Serializer):
    huurovereenkomst = serializers.CharField()
    overeenkomsten = MatchSerializer(many=True)
    samengevoegdIn = serializers.CharField(  # noqa: N815
        allow_null=True,
        help_text=(
            "Het huishouden van deze huurovereenkomst is samengevoegd met dat van deze "
            "huurovereenkomst: wat de batch erover zegt wordt niet geïmporteerd. Stuur het onder "
            "de huurovereenkomst die doorgaat."
        ),
    )


class CountsSerializer(serializers.Serializer):
    nieuw = serializers.IntegerField(source="new_rows")
    gewijzigd = serializers.IntegerField(source="updated_rows")
    ongewijzigd = serializers.IntegerField(source="unchanged_rows")


class ImportSerializer(serializers.Serializer):
    """An import: its state, what it did (households new, changed, unchanged), why it failed,
    and while its text is kept the result per record."""

    id = serializers.IntegerField()
    status = serializers.SerializerMethodField()
    ontvangenOp = serializers.DateTimeField(source="created_at")  # noqa: N815
    afgerondOp = serializers.DateTimeField(source="finished_at", allow_null=True)  # noqa: N815
    huishoudens = CountsSerializer(source="*")
    reden = serializers.SerializerMethodField()
    resultaten = RecordSerializer(many=True, source="results")
    mogelijkeDubbelen = DuplicateSerializer(  # noqa: N815
        many=True,
        source="possible_duplicates",
        help_text=(
            "Huurovereenkomsten die een huishouden kunnen zijn dat er al is (hetzelfde adres, "
            "dezelfde bewoners), zolang de import nog niet gedaan is; daarna toont het "
            "huishouden het zelf."
        ),
    )
    url = serializers.SerializerMethodField()

    def get_status(self, household_import) -> serializers.ChoiceField(choices=[*STATES.values()]):
        return STATES[household_import.shown_status]

    def get_reden(self, household_import) -> str | None:
        if household_import.status != "failed":
            return None
        return failure_message(household_import)

    def get_url(self, household_import) -> str:
        return reverse("api:import", args=[household_import.pk], request=self.context["request"])


class BatchSerializer(serializers.Serializer):
    huurovereenkomsten = serializers.ListField(
        child=serializers.JSONField(),
        allow_empty=True,
        help_text=(
            "De huurovereenkomsten in VERA's vorm (docs/vera.md): elk met één eenheid en haar "
            "relaties."
        ),
    )


def _duplicates(household_import) -> list[dict]:
    return [
        {
            "huurovereenkomst": entry["tenancy_reference"],
            "overeenkomsten": [
                {
                    "huishouden": match.household_id,
                    "huurovereenkomst": match.tenancy_reference,
                    "zelfdeAdres": match.same_address,
                    "zelfdeBewoners": len(match.people),
                }
                for match in entry["matches"]
            ],
            "samengevoegdIn": entry.get("merged_into"),
        }
        for entry in household_import_duplicates(household_import)
    ]


def _answer(request, household_import, results, duplicates, *, status: int, headers=None):
    household_import.results = [result.as_dict() for result in results]
    household_import.possible_duplicates = duplicates
    body = ImportSerializer(household_import, context={"request": request}).data
    return Response(body, status=status, headers=headers)


class TenancyBatch(ApiView):
    scopes = {"POST": IMPORT}

    @extend_schema(
        operation_id="huurovereenkomsten_importeren",
        summary="Huurovereenkomsten importeren (VERA-vorm)",
        description=(
            "Een batch huurovereenkomsten uit het verhuursysteem, in VERA's veldnamen en "
            "codes: geheel of niet. Is elke huurovereenkomst in orde, dan volgt 202 en loopt de "
            "import (lees de stand met de url). Heeft er één een fout, dan wordt niets "
            "geïmporteerd: 422 met per huurovereenkomst de fouten, met het VERA-veld en de "
            "reden. Alleen voor een woningcorporatie."
        ),
        request=BatchSerializer,
        parameters=[
            OpenApiParameter(
                "Location",
                OpenApiTypes.URI,
                location=OpenApiParameter.HEADER,
                response=[202],
                description="De import, om haar stand te lezen.",
            )
        ],
        responses={
            202: OpenApiResponse(
                response=ImportSerializer, description="Gecontroleerd en in behandeling."
            ),
            413: OpenApiResponse(
                description="De batch is groter dan de server aanneemt: stuur kleinere batches."
            ),
            422: OpenApiResponse(
                description="Een of meer huurovereenkomsten hebben fouten: niets geïmporteerd."
            ),
        },
    )
    def post(self, request):
        agent = request.auth
        if agent.organisation.kind != Organisation.Kind.CORPORATIE:
            raise exceptions.PermissionDenied(_("Only a housing corporation imports households."))
        body = BatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            parsed = vera_batch_read(body.validated_data["huurovereenkomsten"])
        except FileError as exc:
            raise exceptions.ValidationError({"huurovereenkomsten": exc.messages}) from exc
        household_import = household_import_create(
            actor=agent, file_name=_("VERA batch from %(name)s") % {"name": agent.name},
            parsed=parsed,
        )  # fmt: skip
        results = vera_record_results(parsed.text, household_import.errors)
        if household_import.status == "invalid":
            return problem(
                422,
                vera_batch_message(results),
                request=request,
                fouten=[result.as_dict() for result in results],
                url=reverse("api:import", args=[household_import.pk], request=request),
            )
        # Named before the import runs: once the households are in, their pages flag them.
        duplicates = _duplicates(household_import)
        household_import_duplicates_shown(actor=agent, household_import=household_import)
        household_import_start(actor=agent, household_import=household_import)
        household_import.refresh_from_db()
        url = reverse("api:import", args=[household_import.pk], request=request)
        return _answer(
            request, household_import, results, duplicates, status=202, headers={"Location": url}
        )


class ImportOne(ApiView):
    scopes = {"GET": IMPORT}

    @extend_schema(
        operation_id="import_lezen",
        summary="De stand van een import",
        description=(
            "Bezig, geïmporteerd (met de aantallen huishoudens) of mislukt (met de reden, en "
            "zolang de batch bewaard is de fouten per huurovereenkomst)."
        ),
        responses=ImportSerializer,
    )
    def get(self, request, pk: int):
        household_import = household_import_get(actor=request.auth, pk=pk, text=True)
        results = []
        if is_vera_batch(household_import.content):
            results = vera_record_results(household_import.content, household_import.errors)
        duplicates = _duplicates(household_import)
        if duplicates:
            household_import_duplicates_shown(actor=request.auth, household_import=household_import)
        return _answer(request, household_import, results, duplicates, status=200)
