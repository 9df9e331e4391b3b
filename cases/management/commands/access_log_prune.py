"""Remove the access-log rows past the log's retention term, as the database's owner role, and
log that in the access log itself (ADR 0017). Daily in docker-compose.yml; safe to repeat."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases.services.access_log_prune import access_log_prune


class Command(BaseCommand):
    help = "Remove access-log rows past the log's retention term (run as the owner role)."

    def handle(self, *args, **options):
        try:
            pruned = access_log_prune()
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from None
        self.stdout.write(
            _("Removed %(count)s access-log rows from before %(cutoff)s (term: %(months)s months).")
            % {
                "count": pruned.removed,
                "cutoff": formats.date_format(timezone.localtime(pruned.cutoff), "DATETIME_FORMAT"),
                "months": pruned.months,
            }
        )
