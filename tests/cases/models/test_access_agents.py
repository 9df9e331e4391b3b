"""The access log records actors that are not people (ADR 0024): a database CHECK holds that
exactly one of a person (web), an agent of an organisation (API client, personal link) or the
installation acted; the application role cannot write as the installation, and the new
columns are as append-only as the rest."""

import psycopg
import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from cases.access.actors import agent_for_client
from cases.access.log import log_access
from cases.models import AccessLog

pytestmark = pytest.mark.django_db

Channel = AccessLog.Channel


def _row(**fields) -> AccessLog:
    values = {"action": "view", "legal_basis": "geen"} | fields
    return AccessLog.objects.create(**values)


@pytest.mark.parametrize(
    ("fields", "for_organisation"),
    [
        ({"channel": Channel.WEB}, True),  # a web row without its person
        ({"channel": Channel.API, "agent": "api-client:1"}, False),  # no organisation
        ({"channel": Channel.API, "agent": ""}, True),  # an agent without its reference
        ({"channel": Channel.LINK}, True),  # nor for a link
        ({"channel": Channel.INSTALLATION, "agent": "api-client:1"}, False),
    ],
)
def test_a_row_names_who_acted(fields, for_organisation, corporation):
    if for_organisation:
        fields = {"organisation": corporation} | fields
    with pytest.raises(IntegrityError, match="accesslog_someone_acted"), transaction.atomic():
        _row(**fields)


def test_a_row_names_only_one_who_acted(corporation_worker):
    with pytest.raises(IntegrityError, match="accesslog_someone_acted"), transaction.atomic():
        _row(
            user_id=corporation_worker.user_id,
            organisation_id=corporation_worker.organisation_id,
            channel=Channel.API,
            agent="api-client:1",
        )
    with pytest.raises(IntegrityError, match="accesslog_someone_acted"), transaction.atomic():
        _row(channel=Channel.INSTALLATION, organisation_id=corporation_worker.organisation_id)


def test_each_of_them_can_be_written(api_key, corporation_worker, corporation, household):
    client, _key = api_key(corporation)
    agent = agent_for_client(client, origin="192.0.2.7")
    row = log_access(actor=agent, action="view", household=household, obj=household)
    row.refresh_from_db()
    assert (row.channel, row.agent, row.agent_name) == (
        Channel.API,
        f"api-client:{client.pk}",
        "Huursysteem",
    )
    assert (row.user_id, row.role, row.organisation_id) == (None, "", corporation.pk)
    assert (row.origin, row.legal_basis) == ("192.0.2.7", "eigen_huurder")
    person = log_access(actor=corporation_worker, action="view", household=household)
    assert (person.channel, person.agent) == (Channel.WEB, "")


def test_a_row_inserted_without_the_new_columns_is_a_persons_on_the_web(corporation_worker):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_accesslog (at, user_id, role, organisation_id, action,"
            " object_type, object_id, legal_basis, origin, detail) VALUES"
            " (now(), %s, 'medewerker', %s, 'view', '', '', 'geen', '', '{}') RETURNING id",
            [corporation_worker.user_id, corporation_worker.organisation_id],
        )
        pk = cursor.fetchone()[0]
    assert AccessLog.objects.get(pk=pk).channel == Channel.WEB


def test_the_agent_columns_are_append_only_too(api_key, corporation, household):
    client, _key = api_key(corporation)
    row = log_access(actor=agent_for_client(client), action="view", household=household)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=row.pk).update(agent_name="Iets anders")
    assert AccessLog.objects.get(pk=row.pk).agent_name == "Huursysteem"


# --- as the application's database role (ADR 0017) --------------------------------------------

INSERT = (
    "INSERT INTO cases_accesslog (at, user_id, role, organisation_id, action, object_type,"
    " object_id, legal_basis, origin, detail, channel, agent, agent_name) VALUES"
    " (now(), NULL, '', %s, 'view', '', '', 'geen', '', '{}', %s, %s, %s) RETURNING id"
)


@pytest.mark.django_db(transaction=True)
def test_the_application_role_writes_an_agents_row(app_role_connect, corporation):
    with app_role_connect().cursor() as cursor:
        cursor.execute(INSERT, [corporation.pk, "api", "api-client:1", "Huursysteem"])
        pk = cursor.fetchone()[0]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            cursor.execute("UPDATE cases_accesslog SET agent_name = 'x' WHERE id = %s", [pk])
    assert AccessLog.objects.get(pk=pk).agent == "api-client:1"


@pytest.mark.django_db(transaction=True)
def test_the_application_role_cannot_write_as_the_installation(app_role_connect):
    with (
        app_role_connect().cursor() as cursor,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="installation"),
    ):
        cursor.execute(INSERT, [None, "installation", "", ""])
    assert not AccessLog.objects.exists()
