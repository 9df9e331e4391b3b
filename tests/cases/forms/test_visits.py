"""The home-visit form groups the signal categories by life area (leefgebied), the common ones
first: the areas holding a common category first, and in each area its common categories first."""

import pytest

from cases.forms.visits import HomeVisitForm
from cases.models import SignalCategory
from tests.factories import SignalCategoryFactory

pytestmark = pytest.mark.django_db


def category(code, life_area, position, common=False):
    return SignalCategoryFactory(
        code=code, name=code.capitalize(), life_area=life_area, position=position, is_common=common
    )


def test_categories_come_in_life_areas_with_the_common_ones_first():
    categories = [
        category("lekkage", "wonen", 10),
        category("overlast", "wonen", 20),
        category("schimmel", "wonen", 30, common=True),
        category("schulden", "financien", 40),
        category("eenzaam", "sociaal", 50, common=True),
        category("taal", "participatie", 60),
        category("zorg", "gezondheid", 70),
    ]
    groups = HomeVisitForm(categories=categories).category_groups()
    assert [(g.life_area, [r["category"].code for r in g.rows]) for g in groups] == [
        # Areas with a common category, in the order of the life areas...
        ("wonen", ["schimmel", "lekkage", "overlast"]),
        ("sociaal", ["eenzaam"]),
        # ... then the others, in the same order.
        ("financien", ["schulden"]),
        ("gezondheid", ["zorg"]),
        ("participatie", ["taal"]),
    ]
    assert [str(g.label) for g in groups][:2] == [
        str(SignalCategory.LifeArea.WONEN.label),
        str(SignalCategory.LifeArea.SOCIAAL.label),
    ]


def test_the_seeded_common_categories_are_marked(db):
    """Migration 0022 marks the categories seen at most visits; an installation changes it."""
    seeded = SignalCategory.objects.filter(code__in=["eenzaamheid", "overlast"])
    if seeded.count() < 2:
        pytest.skip("the seeded categories were flushed by a transactional test")
    assert set(SignalCategory.objects.filter(is_common=True).values_list("code", flat=True)) >= {
        "eenzaamheid",
        "huurachterstand",
    }
    assert not SignalCategory.objects.get(code="overlast").is_common
