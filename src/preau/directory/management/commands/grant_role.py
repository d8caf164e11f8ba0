"""``preau grant-role USERNAME ROLE --municipality INSEE [--school UAI] [--class ID]``

How an installation gets its first city admin, and how scripts attach staff. With
``--create`` a missing account is created without a password and a one-time link to
choose it is printed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from preau.directory import memberships
from preau.directory.models import Municipality, Role, School, SchoolClass


class Command(BaseCommand):
    help = "Give a person a role (city admin, director, teacher…) in the directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--municipality", required=True, help="INSEE code, e.g. 56121")
        parser.add_argument("--school", help="UAI of the school (directors, ERUN, teachers)")
        parser.add_argument("--class", dest="class_id", type=int, help="class id (teachers)")
        parser.add_argument("--create", action="store_true", help="create the account")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        municipality = Municipality.objects.filter(insee_code=opts["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality with INSEE code {opts['municipality']}.")
        school = None
        if opts["school"]:
            school = School.objects.filter(uai=opts["school"].upper()).first()
            if school is None:
                raise CommandError(f"No school with UAI {opts['school']}.")
        cls = None
        if opts["class_id"]:
            cls = SchoolClass.objects.filter(pk=opts["class_id"]).first()
            if cls is None:
                raise CommandError(f"No class with id {opts['class_id']}.")
        user = get_user_model().objects.filter(username__iexact=opts["username"]).first()
        try:
            if user is None:
                if not opts["create"]:
                    raise CommandError(f"No account {opts['username']!r}; add --create.")
                user = memberships.create_staff_user(
                    actor=None,
                    username=opts["username"],
                    first_name=opts["first_name"],
                    last_name=opts["last_name"],
                    email=opts["email"],
                    municipality=municipality,
                )
                path = memberships.set_password_path(user)
                self.stdout.write(f"Account created. Password link: {settings.PUBLIC_URL}{path}")
            memberships.grant_role(
                actor=None,
                user=user,
                role=opts["role"],
                municipality=municipality,
                school=school,
                school_class=cls,
            )
        except memberships.MembershipError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"{user.get_username()} is now {opts['role']}."))
