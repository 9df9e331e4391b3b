"""The import's preview lists possible duplicates per line, with a Dutch explanation (ADR
0026): a household of the corporation at the same address or with the same person under
another tenancy reference, another line of the file, or a tenancy reference merged into
another household (that line is not imported). It refuses none of them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import AccessLog, Household, HouseholdImport
from cases.services.duplicates import household_merge
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "huurcontract;straat;huisnummer;toevoeging;postcode;plaats;buurtcode;hoofdhuurder;"
    "geboortejaar_hoofdhuurder"
)
LINES = [
    "NEW-1;Lindelaan;12;A;9901AB;Testdorp;BU99010101;Piet Nieuw;1970",  # 2: address
    "NEW-2;Eikenweg;3;;9902 CD;Testdorp;BU99010101;ANNA DE TÉST;1948",  # 3: the same person
    "NEW-3;Beukenlaan;1;;9905 AA;Testdorp;BU99010101;Kees Een;1980",  # 4: line 5
    "NEW-4;Beukenlaan;1;;9905 AA;Testdorp;BU99010101;Kees Twee;1981",  # 5: line 4
    "NEW-5;Lindelaan;12;b;9901 AB;Testdorp;BU99010101;Anna de Test;1950",  # 6: nothing
    "HC-000077;Lindelaan;40;;9901 AB;Testdorp;BU99010101;Oud Huurder;1960",  # 7: merged
]


@pytest.fixture(autouse=True)
def _eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def merged(admin, household, buurten):
    """HC-000077, merged into the cast's household."""
    old = HouseholdFactory(corporation=household.corporation, tenancy_reference="HC-000077")
    household_merge(actor=admin, survivor=household, absorbed=old)
    return old


def upload(client, lines=LINES):
    content = "\n".join([HEADER, *lines]).encode()
    response = client.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile("h.csv", content, "text/csv")}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return HouseholdImport.objects.latest("pk"), response.url


def test_the_preview_lists_possible_duplicates_per_line_in_dutch(login, admin, household, merged):
    client = login(admin)
    household_import, url = upload(client)
    assert household_import.status == HouseholdImport.Status.VALIDATED
    by_line = {entry["row"]: entry for entry in household_import.duplicates}
    assert sorted(by_line) == [2, 3, 4, 5, 7]
    html = client.get(url).content.decode()
    assert 'data-testid="import-duplicates"' in html
    assert "Mogelijk dubbel met Lindelaan 12-a, 9901 AB Testdorp (HC-000012): zelfde adres" in html
    assert "Anna de Test, geboren in 1948, woont daar ook" in html
    assert "Mogelijk dubbel met regel 5 (NEW-4) in dit bestand: zelfde adres" in html
    assert "Mogelijk dubbel met regel 4 (NEW-3) in dit bestand: zelfde adres" in html
    assert "Dit huurcontract is samengevoegd met HC-000012: de regel wordt niet geïmporteerd." in (
        html
    )
    assert 'data-row="6"' not in html.split('data-testid="import-duplicates"')[1].split("</ul>")[0]
    # The households it names are the corporation's: their showing is logged.
    shown = AccessLog.objects.filter(detail__import=household_import.pk, action="search")
    assert household.pk in set(shown.values_list("household_id", flat=True))


def test_possible_duplicates_are_imported_all_the_same_except_a_merged_reference(
    login, admin, household, merged, corporation_worker
):
    client = login(admin)
    household_import, url = upload(client)
    client.post(reverse("imports:confirm", args=[household_import.pk]))
    household_import.refresh_from_db()
    assert household_import.status == HouseholdImport.Status.DONE
    assert (household_import.new_rows, household_import.unchanged_rows) == (5, 1)
    assert household_import.duplicates == [], "emptied with the sample"
    merged.refresh_from_db()
    assert (merged.street, merged.merged_into) == ("Teststraat", household), "left closed"
    assert not merged.residents.exists()
    new = Household.objects.get(tenancy_reference="NEW-1")
    page = login(corporation_worker).get(reverse("cases:household_detail", args=[new.pk]))
    assert "HC-000012" in page.content.decode() and "Mogelijk dubbel" in page.content.decode()
    assert new.address_key == household.address_key


def test_a_reimport_is_not_its_own_duplicate(login, admin, household, buurten):
    client = login(admin)
    household_import, _url = upload(
        client, ["HC-000012;Lindelaan;12;a;9901 AB;Testdorp;BU99010101;Anna de Test;1948"]
    )
    assert household_import.duplicates == []
