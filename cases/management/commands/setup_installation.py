"""Set up or update an installation from one YAML file (ADR 0020; an example with every section
explained is docs/inclusie.example.yaml): organisations and their kinds, neighbourhoods by CBS
code, signal categories, agreements, and an invitation to each organisation's first
administrator from the installation administrator. Running it again changes nothing; a file
with problems changes nothing and names the line of each."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.services.installation import installation_setup
from cases.services.installation.nodes import SetupFileError
from cases.services.installation.parsing import setup_file_read


class Command(BaseCommand):
    @property
    def help(self):  # read when the parser is made, in the installation's language
        return _(
            "Create or update organisations, neighbourhoods, signal categories and agreements "
            "from a YAML file, and invite each organisation's first administrator."
        )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The set-up file, e.g. inclusie.yaml."))
        parser.add_argument(
            "--as",
            dest="acting",
            metavar="E-MAIL",
            help=_(
                "E-mail address of the installation administrator who sets this up (default: "
                "the one the file names under installation_admin)."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Show what would change; save and send nothing."),
        )

    def handle(self, *args, file, acting, dry_run, **options):
        with translation.override(settings.LANGUAGE_CODE):
            try:
                raw = Path(file).read_bytes()
            except OSError as exc:
                raise CommandError(
                    _("%(file)s cannot be read: %(reason)s") % {"file": file, "reason": exc}
                ) from None
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = raw[: exc.start].count(b"\n") + 1
                raise CommandError(
                    _(
                        "%(file)s, line %(line)s: this is not UTF-8 text (the character "
                        "encoding of the set-up file). Save the file as UTF-8 and run it again; "
                        "nothing has changed."
                    )
                    % {"file": file, "line": line}
                ) from None
            try:
                result = installation_setup(
                    setup=setup_file_read(text), acting_email=acting, dry_run=dry_run
                )
            except SetupFileError as exc:
                raise CommandError(self._problems(file, exc)) from None
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            self._report(result)

    def _problems(self, file, exc) -> str:
        lines = [_("%(file)s is not applied; nothing has changed.") % {"file": file}]
        for problem in exc.problems:
            if problem.line is None:
                lines.append(f"  {file}: {problem.message}")
            else:
                lines.append(
                    "  "
                    + _("%(file)s, line %(line)s: %(problem)s")
                    % {"file": file, "line": problem.line, "problem": problem.message}
                )
        return "\n".join(lines)

    def _report(self, result) -> None:
        if not result.changes:
            if result.dry_run:
                self.stdout.write(_("Nothing would change: Inclusie is as the file describes."))
            else:
                self.stdout.write(
                    self.style.SUCCESS(_("Nothing changed: Inclusie is as the file describes."))
                )
            return
        if result.dry_run:
            self.stdout.write(_("Dry run; this would change (nothing is saved or sent):"))
        for change in result.changes:
            self.stdout.write(f"  - {change}")
        count = len(result.changes)
        if result.dry_run:
            self.stdout.write(
                ngettext(
                    "%(count)s change would be made.", "%(count)s changes would be made.", count
                )
                % {"count": count}
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    ngettext("%(count)s change saved.", "%(count)s changes saved.", count)
                    % {"count": count}
                )
            )
