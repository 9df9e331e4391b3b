"""Stop a person from logging in anywhere, ending their sessions at once (for operators)."""

from django.core.management.base import BaseCommand, CommandError

from partners.models import User
from partners.services.memberships import user_deactivate


class Command(BaseCommand):
    help = "Deactivate a person by e-mail address and end all their sessions at once."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No person with e-mail address {email!r}.")
        user_deactivate(user=user)
        self.stdout.write(self.style.SUCCESS(f"{user.email} is deactivated; sessions ended."))
