"""Fictional people for the demo world: names, usernames, e-mails and phone numbers."""

from __future__ import annotations

import random
import unicodedata

from preau.accounts.models import User
from preau.demo import names

# ARCEP keeps these ranges for fiction: no real line will ever answer them.
FICTION_MOBILE = "06 39 98"
FICTION_LANDLINE = "02 61 91"


def ascii_slug(text: str) -> str:
    """'Gwénaël LE GOFF' → 'gwenael-le-goff': usernames and e-mail local parts."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(plain.lower().replace("'", " ").split())


class People:
    """Draws names and hands out unique usernames, all from one seeded generator."""

    def __init__(self, rng: random.Random, password_hash: str) -> None:
        self.rng = rng
        self.password_hash = password_hash
        self._usernames: set[str] = set()
        self._phones = 0

    def reserve(self, *usernames: str) -> None:
        """Keep the demo logins ('admin', 'parent'…) out of the generated names."""
        self._usernames.update(usernames)

    def username(self, first: str, last: str) -> str:
        base = f"{ascii_slug(first)}.{ascii_slug(last)}"
        candidate, n = base, 1
        while candidate in self._usernames:
            n += 1
            candidate = f"{base}{n}"
        self._usernames.add(candidate)
        return candidate

    def user(self, first: str, last: str, *, email_domain: str = "", username: str = "") -> User:
        if username:
            self._usernames.add(username)
        else:
            username = self.username(first, last)
        email = f"{username}@{email_domain}" if email_domain else ""
        return User(
            username=username,
            first_name=first,
            last_name=last,
            email=email,
            password=self.password_hash,
        )

    def woman(self) -> str:
        return self.rng.choice(names.WOMEN)

    def man(self) -> str:
        return self.rng.choice(names.MEN)

    def adult_first_name(self, civility: str) -> str:
        return self.woman() if civility == "MME" else self.man()

    def family_name(self, exclude: set[str] | None = None) -> str:
        while True:
            name = self.rng.choice(names.FAMILY_NAMES)
            if not exclude or name not in exclude:
                return name

    def child_first_name(self, sex: str, exclude: set[str]) -> str:
        pool = names.GIRLS if sex == "F" else names.BOYS
        while True:
            name = self.rng.choice(pool)
            if name not in exclude:
                return name

    def mobile(self) -> str:
        self._phones += 1
        number = self._phones % 10000
        return f"{FICTION_MOBILE} {number // 100:02d} {number % 100:02d}"

    def email(self, first: str, last: str) -> str:
        domain = self.rng.choice(("example.org", "example.net", "example.com"))
        return f"{ascii_slug(first)}.{ascii_slug(last)}{self.rng.randint(1, 99)}@{domain}"
