"""Helpers for the cahier de liaison's tests, on top of the persona world.

In the world, pupil ``a.pupils[0]`` (class CP A, teacher_a0) has two legal guardians:
"Mme PARENTA00 Alex" (no account unless ``second_parent`` gives one) and Camille Martin
(the ``parent`` persona), who is also the guardian of ``a.pupils[2]`` in CM2 A.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from preau.conftest import World, make_user
from preau.liaison import services
from preau.liaison.models import Note

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def second_parent(world: World) -> Any:
    """An account for the other guardian of a.pupils[0] (Mme PARENTA00 Alex)."""
    guardian = world.a.guardians[0]
    user = make_user("alex.parenta00", "Alex", "PARENTA00")
    guardian.user = user
    guardian.save(update_fields=["user"])
    return user


def english(client: Client) -> Client:
    """Pages in English, the source language, whatever the catalogue holds."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def send(world: World, sender: Any = None, **fields: Any) -> Note:
    """A note from teacher_a0 to their whole class unless told otherwise."""
    sender = sender or world.a.teachers[0]
    attachment = fields.pop("attachment", None)
    if "class_ids" not in fields and "pupil_ids" not in fields:
        fields["class_ids"] = [world.a.classes[0].pk]
    data = services.NoteInput(
        title=fields.pop("title", "Sortie au musée"),
        body=fields.pop("body", "Le jeudi 12, la classe visite le musée."),
        **fields,
    )
    return services.send_note(sender, data, attachment=attachment)


def pdf_upload(name: str = "autorisation.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """These tests read the English source messages: English is the default language
    for their requests (no Accept-Language) and for service calls outside a request."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
