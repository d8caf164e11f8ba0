"""``preau add-municipality NAME INSEE``: register a municipality (a tenant)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

from preau.core import audit
from preau.directory.models import Municipality


class Command(BaseCommand):
    help = "Register a municipality: every school, person and device belongs to one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("insee", help="5-character INSEE code, e.g. 56121")

    def handle(self, *args: Any, **opts: Any) -> None:
        insee = opts["insee"].strip().upper()
        if len(insee) != 5 or not insee.isalnum():
            raise CommandError(f"{insee!r} is not an INSEE code (5 characters, e.g. 56121).")
        if Municipality.objects.filter(insee_code=insee).exists():
            raise CommandError(f"A municipality with INSEE code {insee} already exists.")
        muni = Municipality.objects.create(
            name=opts["name"], insee_code=insee, slug=slugify(opts["name"]) or insee
        )
        audit.record("municipality.created", target=muni, actor_label="command line")
        self.stdout.write(self.style.SUCCESS(f"{muni.name} ({insee}) registered."))
