"""Pages of long lists without counting them to the end (ADR 0012).

Counting every open signal of a corporation with 80,000 homes costs more than showing a page of
them. CappedPaginator counts at most COUNT_CAP + 1 rows: below the cap the count is exact, above
it the page says "more than 1,000" and still lets people page on, one page at a time."""

from functools import cached_property

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator

COUNT_CAP = 1000


def capped_count(queryset, cap: int = COUNT_CAP) -> int:
    """The exact number of rows up to the cap; cap + 1 when there are more. Only the keys are
    read (a start page's counts and the lists' pages count alike, ADR 0012)."""
    return queryset.order_by().values("pk")[: cap + 1].count()


class CappedPaginator(Paginator):
    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        """The exact number of rows up to the cap; cap + 1 when there are more. Only the keys
        are read: annotations (a count of open signals per row) are left out of the count."""
        return capped_count(self.object_list, self.cap)

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def validate_number(self, number) -> int:
        if not self.capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def get_page(self, number) -> Page:
        try:
            return self.page(self.validate_number(number))
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages if not self.capped else 1)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        if not self.capped:
            return super().page(number)
        # Past the cap: one row more than a page tells whether there is a next one.
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)


class CappedPage(Page):
    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def next_page_number(self) -> int:
        return self.number + 1
