"""Grant or take away the installation administrator role, or list who has it (operators).

An installation administrator keeps what every organisation shares (the signal categories, the
access log's retention term) and sees no organisation's data through that role."""

from django.core.management.base import BaseCommand, CommandError

from partners.models import User
from partners.services.memberships import installation_admin_set


class Command(BaseCommand):
    help = "Grant or revoke the installation administrator role by e-mail address, or list it."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["grant", "revoke", "list"])
        parser.add_argument("email", nargs="?")

    def handle(self, *args, action, email, **options):
        if action == "list":
            for user in User.objects.filter(is_installation_admin=True).order_by("email"):
                self.stdout.write(user.email)
            return
        if not email:
            raise CommandError("Give the person's e-mail address.")
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No person with e-mail address {email!r}; invite them first.")
        installation_admin_set(user=user, granted=action == "grant")
        state = "is" if action == "grant" else "is no longer"
        self.stdout.write(
            self.style.SUCCESS(f"{user.email} {state} an installation administrator.")
        )
