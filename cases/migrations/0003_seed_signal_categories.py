"""The signal categories every installation starts with (issue 3, item 2).

Names are data in Dutch, not interface text: administrators rename, add and switch off categories
in the app. Reversing removes only those of these codes that no signal uses."""

from django.db import migrations

# (code, name, life area, kind of partner it usually goes to)
CATEGORIES = [
    ("eenzaamheid", "Eenzaamheid", "sociaal", "welzijn"),
    ("huurachterstand", "Huurachterstand / geldzorgen", "financien", "gemeente"),
    ("vervuiling", "Vervuiling of verwaarlozing van de woning", "wonen", "zorg"),
    ("inrichting", "Ontbrekende inrichting (op kale beton)", "wonen", "gemeente"),
    ("zorgbehoefte", "Zorg- of begeleidingsbehoefte", "gezondheid", "zorg"),
    ("psychische-klachten", "Psychische klachten", "psychisch", "zorg"),
    ("overlast", "Overlast", "wonen", "welzijn"),
    ("taal-digitaal", "Taal of digitale vaardigheden", "participatie", "welzijn"),
    ("technisch-onderhoud", "Technisch onderhoud", "wonen", "corporatie"),
    ("anders", "Anders", "overig", "overig"),
]


def seed(apps, schema_editor):
    SignalCategory = apps.get_model("cases", "SignalCategory")
    for position, (code, name, life_area, partner_kind) in enumerate(CATEGORIES, start=1):
        taken = SignalCategory.objects.filter(code=code).exists() or (
            SignalCategory.objects.filter(name__iexact=name).exists()
        )
        if taken:
            continue
        SignalCategory.objects.create(
            code=code,
            name=name,
            life_area=life_area,
            usual_partner_kind=partner_kind,
            is_active=True,
            position=position * 10,
        )


def unseed(apps, schema_editor):
    SignalCategory = apps.get_model("cases", "SignalCategory")
    Signal = apps.get_model("cases", "Signal")
    codes = [code for code, *_rest in CATEGORIES]
    used = set(
        Signal.objects.filter(category__code__in=codes).values_list("category__code", flat=True)
    )
    SignalCategory.objects.filter(code__in=set(codes) - used).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_access_log_is_append_only"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
