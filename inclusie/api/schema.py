"""The OpenAPI document (ADR 0025): how a client shows its key, and what every operation has
that drf-spectacular does not add by itself: the API-Version header on every answer
(/core/version-header) and problem+json for every error (/core/error-handling/problem-details),
with the errors each operation can give (401, 403, 429 for all; 400 where it takes input; 404
where it names an object)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from inclusie.api.problems import PROBLEM_JSON, TITLES

METHODS = ("get", "put", "post", "patch", "delete")
HEADER = {"$ref": "#/components/headers/API-Version"}
PROBLEM = {"$ref": "#/components/schemas/Probleem"}


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "inclusie.api.authentication.ApiKeyAuthentication"
    name = "sleutel"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "De sleutel van het systeem, zoals de beheerder van de organisatie die kreeg "
                "onder Beheer › Koppelingen: `Authorization: Bearer inc_...`."
            ),
        }


COMPONENTS = {
    "headers": {
        "API-Version": {
            "description": "De volledige versie van de API (semantic versioning).",
            "schema": {"type": "string", "example": "1.0.0"},
        }
    },
    "schemas": {
        "Probleem": {
            "type": "object",
            "description": "Een fout, als application/problem+json (RFC 9457).",
            "required": ["status", "title", "detail"],
            "properties": {
                "type": {"type": "string", "example": "about:blank"},
                "title": {"type": "string", "example": "Niet gevonden"},
                "status": {"type": "integer", "example": 404},
                "detail": {"type": "string"},
                "instance": {"type": "string"},
                "invalidParams": {
                    "type": "array",
                    "description": "Bij 400: elk veld dat ontbreekt of niet klopt.",
                    "items": {"$ref": "#/components/schemas/OngeldigeParameter"},
                },
                "fouten": {
                    "type": "array",
                    "description": (
                        "Bij 422 van een batch: per huurovereenkomst of ze geldig is, en zo "
                        "niet elke fout met het VERA-veld en de reden."
                    ),
                    "items": {"$ref": "#/components/schemas/Record"},
                },
                "url": {
                    "type": "string",
                    "format": "uri",
                    "description": "Bij 422 van een batch: de import, met haar stand.",
                },
            },
        },
        "OngeldigeParameter": {
            "type": "object",
            "required": ["name", "code", "reason"],
            "properties": {
                "name": {"type": "string", "example": "reden"},
                "code": {"type": "string", "example": "required"},
                "reason": {"type": "string", "example": "Dit veld is verplicht."},
            },
        },
    },
}


# What some problems say in a header besides their body.
PROBLEM_HEADERS = {
    "401": {
        "WWW-Authenticate": {
            "description": "Hoe je je aanmeldt: Bearer met de sleutel van het systeem.",
            "schema": {"type": "string", "example": 'Bearer realm="api"'},
        }
    },
    "429": {
        "Retry-After": {
            "description": "Over hoeveel seconden je het opnieuw kunt proberen.",
            "schema": {"type": "integer", "example": 42},
        }
    },
}


def _problem(code: int, description: str | None = None) -> dict:
    return {
        "description": description or str(TITLES[code]),
        "headers": {"API-Version": HEADER},
        "content": {PROBLEM_JSON: {"schema": PROBLEM}},
    }


def postprocess(result, generator, request, public):
    components = result.setdefault("components", {})
    for kind, entries in COMPONENTS.items():
        components.setdefault(kind, {}).update(entries)
    for path, item in result.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for code, response in list(responses.items()):
                if code.startswith(("2", "3")):
                    response.setdefault("headers", {})["API-Version"] = HEADER
                elif code.startswith(("4", "5")):
                    responses[code] = _problem(int(code), response.get("description"))
            wanted = [401, 403, 429]
            if operation.get("parameters") or operation.get("requestBody"):
                wanted.append(400)
            if operation.get("requestBody"):
                wanted += [413, 415]
            if "{" in path:
                wanted.append(404)
            for code in wanted:
                responses.setdefault(str(code), _problem(code))
            for code, headers in PROBLEM_HEADERS.items():
                if code in responses:
                    responses[code]["headers"].update(headers)
    return result
