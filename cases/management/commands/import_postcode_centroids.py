"""Read a CSV file of four-digit postcode centroids (PC4) in WGS84 degrees into the table the
helpers' suggestions measure distances with (ADR 0034; README, "Places and distances").
All rows or none; safe to repeat: a postcode read again is replaced."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.services.places import postcode_centroids_import, postcode_centroids_read


class Command(BaseCommand):
    help = "Read four-digit postcode centroids (columns pc4, latitude, longitude) from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("csv", help="The CSV file, UTF-8, comma or semicolon separated.")
        parser.add_argument("--source", help="Where the file came from (default: its name).")

    def handle(self, *args, **options):
        path = Path(options["csv"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as problem:
            raise CommandError(
                _("Cannot read %(file)s: %(problem)s") % {"file": path, "problem": problem}
            ) from None
        source = options["source"] or f"{path.name} ({timezone.localdate().isoformat()})"
        try:
            count = postcode_centroids_import(
                centroids=postcode_centroids_read(text), source=source
            )
        except ValidationError as refused:
            raise CommandError("\n".join(refused.messages)) from None
        self.stdout.write(_("Read %(count)s postcode centroids.") % {"count": count})
