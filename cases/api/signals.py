"""The corporation's signals out to its rental system as VERA signaleringen (ADR 0027): a page
of its own signals, oldest first, filterable by VERA status and by the moment from which they
were made or changed (so a system can read on from its last visit). The mapping is
cases.vera's; a signal of a category without a VERA soort is listed as left out, with why,
never given a guessed code. No description leaves Inclusie: a signalering has none."""

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers

from cases import vera
from cases.selectors.signals import signal_export_page
from inclusie.api.pagination import PARAMETERS, page_of, page_request, paged
from inclusie.api.views import ApiView
from partners.models import ApiClient, Organisation

READ = ApiClient.Scope.SIGNALS_READ


class CodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    naam = serializers.CharField()


class ExtraSerializer(serializers.Serializer):
    naam = serializers.ChoiceField(
        choices=[vera.EXTRA_CATEGORY, vera.EXTRA_SEVERITY, vera.EXTRA_TENANCY]
    )
    waarde = serializers.CharField()


# VERA's own name "extra-attributen" is no Python name: the fields are given as a mapping.
SignaleringSerializer = type(
    "Signalering",
    (serializers.Serializer,),
    {
        "__doc__": "A signal as VERA's Signalering (Relaties), with what VERA lacks in its "
        "extra-attributen.",
        "id": serializers.CharField(),
        "soort": CodeSerializer(),
        "detailSoort": CodeSerializer(required=False),
        "status": CodeSerializer(),
        "begindatum": serializers.DateTimeField(),
        "einddatum": serializers.DateTimeField(required=False),
        "extra-attributen": ExtraSerializer(many=True),
    },
)


class LeftOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    categorie = serializers.CharField(source="category")
    reden = serializers.CharField(source="why")


class SignalExportPage(ApiView):
    scopes = {"GET": READ}

    @extend_schema(
        operation_id="signaleringen_lijst",
        summary="Signaleringen van je corporatie (VERA-vorm)",
        description=(
            "De signalen bij de huishoudens van je eigen corporatie als VERA-signaleringen, de "
            "oudste eerst. Zonder beschrijving: alleen soort, status, data, ernst, categorie en "
            "huurovereenkomst. Een signaal waarvoor VERA geen soort heeft staat onder "
            "weggelaten. Alleen voor een woningcorporatie."
        ),
        parameters=[
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=sorted(set(vera.STATUS_SIGNALERING.values())),
                description="VERA's SIGNALERINGSTATUS: ACT (actief) of VER (vervallen).",
            ),
            OpenApiParameter(
                "gewijzigdSinds",
                OpenApiTypes.DATETIME,
                description="Alleen signalen gemaakt of van status veranderd vanaf dit moment.",
            ),
            *PARAMETERS,
        ],
        responses=page_of(
            SignaleringSerializer,
            "SignaleringPagina",
            weggelaten=LeftOutSerializer(
                many=True, help_text="Signalen op deze pagina zonder VERA-soort, met de reden."
            ),
        ),
    )
    def get(self, request):
        agent = request.auth
        if agent.organisation.kind != Organisation.Kind.CORPORATIE:
            raise exceptions.PermissionDenied(_("Only a housing corporation has signals to read."))
        number, size = page_request(request)
        status = request.query_params.get("status", "")
        errors = {}
        if status and status not in vera.STATUS_SIGNALERING.values():
            errors["status"] = [_("Choose ACT or VER.")]
        raw = request.query_params.get("gewijzigdSinds", "")
        since = None
        if raw:
            try:
                since = parse_datetime(raw)
            except ValueError:
                since = None
            if since is None or since.tzinfo is None:
                errors["gewijzigdSinds"] = [
                    _("Give a moment with its time zone, such as 2026-12-01T08:00:00Z.")
                ]
        if errors:
            raise exceptions.ValidationError(errors)
        page = signal_export_page(
            actor=agent, status=status, changed_since=since, page=number, per_page=size
        )
        export = vera.signaleringen_of(page.object_list)
        response = paged(request, page, SignaleringSerializer(export.signaleringen, many=True).data)
        response.data["weggelaten"] = LeftOutSerializer(export.left_out, many=True).data
        return response
