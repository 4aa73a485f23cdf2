"""Scripted set-up of an integration client; prints the secret once."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tthc_portal.agencies.models import Agency

from ...services import ApiClientError, api_client_create


class Command(BaseCommand):
    help = "Register an integration client for an agency and print its client id and secret."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--agency", required=True, help="agency code")
        parser.add_argument("--name", required=True, help="name of the calling system")
        parser.add_argument(
            "--scopes",
            required=True,
            nargs="+",
            help="scopes, e.g. dossiers:read procedures:read (commas also accepted)",
        )

    def handle(self, *args, agency: str, name: str, scopes: list[str], **options) -> None:
        try:
            target = Agency.objects.get(code=agency)
        except Agency.DoesNotExist:
            raise CommandError(f"No agency with code {agency!r}") from None
        wanted = [part for item in scopes for part in item.split(",") if part]
        try:
            issued = api_client_create(actor=None, name=name, agency=target, scopes=wanted)
        except ApiClientError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"client_id={issued.client.client_id}")
        self.stdout.write(f"client_secret={issued.client_secret}")
        self.stderr.write("The secret is shown only now; it is stored hashed.")
