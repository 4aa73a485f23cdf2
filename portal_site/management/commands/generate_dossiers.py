"""Fill the database with synthetic dossiers at a province's scale.

    manage.py generate_dossiers --count 1000000 [--seed 42] [--open-share 0.04]
                                [--years 1] [--batch 50000]

Follows the synthetic data profile of shared/domain/scale.md §3: 20 departments
and 130 communes with about 3,100 officers, a 1,900-procedure catalogue with
internal workflows, and dossiers in every state with their history, workflow
steps, pauses, apologies, payments, components and results. On PostgreSQL
rows go in with COPY (a million dossiers in minutes); elsewhere with bulk
inserts, for small counts. Running it again adds more dossiers.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from synthetic import FATES, generate, profile


class Command(BaseCommand):
    help = "Generate realistic synthetic dossiers (scale.md §3) for benchmarks and demos."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True, help="dossiers to add")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--open-share", type=float, default=0.04,
            help="share of dossiers still being processed now (default 0.04)",
        )  # fmt: skip
        parser.add_argument("--years", type=float, default=1, help="years of history")
        parser.add_argument("--batch", type=int, default=50_000, help="dossiers per batch")
        parser.add_argument("--departments", type=int, default=profile.DEPARTMENTS)
        parser.add_argument("--communes", type=int, default=profile.COMMUNES)
        parser.add_argument("--procedures", type=int, default=profile.PROCEDURES)
        parser.add_argument(
            "--only", choices=FATES, default=None,
            help="generate dossiers in this one state only (e.g. submitted: a desk queue)",
        )  # fmt: skip

    def handle(self, *args, **options) -> None:
        if options["count"] < 0:
            raise CommandError("--count must be zero or more.")
        if not 0 <= options["open_share"] < 0.9:
            raise CommandError("--open-share must be between 0 and 0.9.")
        if options["batch"] < 1 or options["years"] <= 0:
            raise CommandError("--batch and --years must be positive.")
        if min(options["departments"], options["communes"], options["procedures"]) < 1:
            raise CommandError("--departments, --communes and --procedures must be positive.")
        generate(
            count=options["count"], seed=options["seed"], open_share=options["open_share"],
            years=options["years"], batch=options["batch"], departments=options["departments"],
            communes=options["communes"], procedures=options["procedures"],
            only=options["only"], log=self.stdout.write,
        )  # fmt: skip
