"""The balance of helpers and requests per complex, with its "what if" for allocation (ADR
0035): for the managers of a corporation and of a municipality. Aggregates only."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.forms.balance import BalanceForm
from cases.selectors import balance as selectors
from cases.views.roles import balance_reader_required


@require_GET
@balance_reader_required
def balance(request):
    scope = selectors.balance_scope(actor=request.actor)
    form = BalanceForm(request.GET or None, complexes=[(c.pk, c.name) for c in scope.complexes])
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    data = selectors.balance_for(actor=request.actor, scope=scope, complex_id=chosen.get("complex"))
    what_if = None
    if chosen.get("homes") and chosen.get("complex"):
        what_if = selectors.balance_what_if(
            balance=data, complex_id=chosen["complex"], homes=chosen["homes"]
        )
    context = {"form": form, "balance": data, "what_if": what_if}
    return render(request, "cases/balance.html", context)
