"""French is the default language, English is one click away, and the catalogue is whole.

The catalogue checks parse ``locale/fr/LC_MESSAGES/django.po`` with a small reader (no
dependency) and compare it with the compiled ``django.mo`` that Django actually loads.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from preau.conftest import World
from preau.directory.models import School

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        # The key gettext uses in a .mo file: context EOT msgid.
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    assert len(text) >= 2, text
    assert text[0] == text[-1] == '"', text
    return re.sub(r"\\(.)", lambda m: ESCAPES[m.group(1)], text[1:-1])


def read_po(path: Path) -> list[Entry]:
    """Read the entries of a .po file (header included, obsolete ones skipped)."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None

    def flush() -> None:
        nonlocal entry
        if target is not None:
            entries.append(entry)
        entry = Entry()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line and target is not None:
                flush()
                target = None
            continue
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            rest, keyword = line, ""
        elif keyword == "msgctxt":
            target = ("msgctxt", 0)
            entry.line = number
        elif keyword == "msgid":
            target = ("msgid", 0)
            entry.line = entry.line or number
        elif keyword == "msgid_plural":
            target = ("msgid_plural", 0)
        elif keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            target = ("msgstr", index)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
        assert target is not None, f"{path}:{number}: text outside an entry"
        text = _unquote(rest)
        name, index = target
        if name == "msgstr":
            entry.msgstr[index] = entry.msgstr.get(index, "") + text
        else:
            setattr(entry, name, (getattr(entry, name) or "") + text)
    if target is not None:
        flush()
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    return read_po(LOCALE_DIR / "django.po")


def test_header_declares_french_and_its_plural_rule(po_entries: list[Entry]) -> None:
    header = po_entries[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: fr\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n > 1);\n" in header.msgstr[0]


def test_every_message_is_translated_and_none_is_fuzzy(po_entries: list[Entry]) -> None:
    messages = po_entries[1:]
    assert len(messages) > 300  # the reader did read the catalogue
    untranslated = [
        f"line {e.line}: {e.msgid!r}"
        for e in messages
        if not e.msgstr
        or not all(e.msgstr.values())
        or len(e.msgstr) != (2 if e.msgid_plural else 1)
    ]
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in messages if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_translations_keep_their_placeholders(po_entries: list[Entry]) -> None:
    wrong = []
    for e in po_entries[1:]:
        for index, text in e.msgstr.items():
            source = e.msgid_plural if index and e.msgid_plural else e.msgid
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                wrong.append(f"line {e.line}: {e.msgid!r} -> {text!r}")
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file(po_entries: list[Entry]) -> None:
    """django.mo is what Django loads: run compilemessages after editing django.po."""
    with (LOCALE_DIR / "django.mo").open("rb") as fp:
        catalog = gettext.GNUTranslations(fp)._catalog  # type: ignore[attr-defined]
    stale = []
    for e in po_entries[1:]:
        if e.msgid_plural:
            compiled = [catalog.get((e.key, i)) for i in range(2)]
            expected = [e.msgstr[0], e.msgstr[1]]
        else:
            compiled, expected = [catalog.get(e.key)], [e.msgstr[0]]
        if compiled != expected:
            stale.append(e.msgid)
    assert stale == []


def test_model_names_and_counted_figures_are_translated_apart() -> None:
    # The figures of the home and directory pages carry a context ("figure") so that their
    # plural entries stay apart from the models' singular names.
    with translation.override("fr"):
        assert str(School._meta.verbose_name) == "école"
        assert translation.gettext("teacher") == "enseignant"
        assert translation.gettext("legal guardian") == "responsable légal"
        assert translation.gettext("site") == "site"
        assert translation.gettext("My class") == "Ma classe"
        assert translation.npgettext("figure", "school", "schools", 3) == "écoles"


@pytest.mark.django_db
def test_login_page_is_french_by_default() -> None:
    response = Client().get(reverse("account_login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr"' in body
    assert "Se connecter" in body
    assert "Identifiant" in body
    assert "Log in" not in body


def test_directory_pages_are_french_by_default(world: World) -> None:
    client = world.client_for(world.a.director)
    body = client.get(reverse("directory:school_list")).content.decode()
    assert '<html lang="fr"' in body
    assert "Écoles" in body
    body = client.get(
        reverse("directory:class_detail", args=[world.a.classes[0].pk])
    ).content.decode()
    assert "Élèves" in body
    assert "Année scolaire" in body


def test_guardian_home_is_french_then_english_after_switching(world: World) -> None:
    client = world.client_for(world.parent)
    body = client.get(reverse("home:index")).content.decode()
    assert '<html lang="fr"' in body
    assert "Mes enfants" in body  # Camille has two children
    assert "Se déconnecter" in body

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get(reverse("home:index")).content.decode()
    assert '<html lang="en"' in body
    assert "My children" in body
    assert "Mes enfants" not in body

    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert "Mes enfants" in client.get(reverse("home:index")).content.decode()


def test_browser_asking_for_english_gets_english(world: World) -> None:
    client = world.client_for(world.a.director)
    body = client.get(reverse("directory:school_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in body
    assert "Schools" in body
    assert "Écoles" not in body
