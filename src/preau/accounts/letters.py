"""Activation letters: one A4 page per guardian, in French, to print and hand out.

The letter names only what the person printing it may see (their own school's children),
carries the clear code (which exists nowhere else) and a QR code that opens the
activation page with the code filled in.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from preau.core import access
from preau.directory.models import Enrolment, Guardian, GuardianLink, Pupil

MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


@dataclass(frozen=True)
class Child:
    first_name: str
    class_label: str
    school_name: str


@dataclass(frozen=True)
class Letter:
    addressee: str
    children: tuple[Child, ...]
    code: str | None  # None: the guardian already has an account
    expires_on: dt.date | None
    username: str = ""


def french_date(day: dt.date) -> str:
    return f"{day.day}{'er' if day.day == 1 else ''} {MONTHS[day.month - 1]} {day.year}"


def activation_url(code: str | None = None) -> str:
    url = settings.PUBLIC_URL + reverse("accounts:activate")
    return f"{url}?{urlencode({'code': code})}" if code else url


def build_letters(
    *,
    actor: Any,
    guardians: list[Guardian],
    issued: dict[int, str],
    expires_at: dt.datetime | None,
) -> list[Letter]:
    """The letters for ``guardians``; ``issued`` maps a guardian's id to their new code."""
    children = _children_seen_by(actor, guardians)
    expires_on = timezone.localdate(expires_at) if expires_at is not None else None
    return [
        Letter(
            addressee=str(guardian),
            children=tuple(children.get(guardian.pk, [])),
            code=issued.get(guardian.pk),
            expires_on=expires_on if guardian.pk in issued else None,
            username=guardian.user.get_username() if guardian.user_id and guardian.user else "",
        )
        for guardian in guardians
    ]


def _children_seen_by(actor: Any, guardians: list[Guardian]) -> dict[int, list[Child]]:
    visible = access.restrict(actor, Pupil).filter(left_on__isnull=True).values("pk")
    links = list(
        GuardianLink.objects.filter(guardian__in=guardians, pupil__in=visible)
        .select_related("pupil")
        .order_by("pupil__birth_date", "pupil__first_name")
    )
    classes = {
        pupil_id: (label, school)
        for pupil_id, label, school in Enrolment.objects.filter(
            pupil_id__in=[link.pupil_id for link in links], ended_on__isnull=True
        ).values_list("pupil_id", "school_class__label", "school_class__school__name")
    }
    found: dict[int, list[Child]] = {}
    for link in links:
        if link.pupil_id in classes:
            label, school = classes[link.pupil_id]
            found.setdefault(link.guardian_id, []).append(
                Child(link.pupil.first_name, label, school)
            )
    return found


# Rendering ----------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()["Normal"]
    body = ParagraphStyle(
        "body", parent=base, fontName="Helvetica", fontSize=11, leading=15, spaceAfter=7
    )
    return {
        "body": body,
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "title": ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=13,
                                leading=17, spaceBefore=6, spaceAfter=10),
        "code": ParagraphStyle("code", parent=body, fontName="Courier-Bold", fontSize=26,
                               leading=32, alignment=TA_CENTER),
        "small": ParagraphStyle("small", parent=body, fontSize=9.5, leading=12.5),
    }  # fmt: skip


def _qr(url: str, size: float = 36 * mm) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _children_text(children: tuple[Child, ...]) -> str:
    names = [
        f"<b>{escape(child.first_name)}</b> (classe {escape(child.class_label)})"
        for child in children
    ]
    if not names:
        return "votre enfant"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " et " + names[-1]


def _page(letter: Letter, today: dt.date, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    school = letter.children[0].school_name if letter.children else ""
    flow: list[Flowable] = [
        Paragraph(escape(school), styles["right"]),
        Paragraph(f"Le {french_date(today)}", styles["right"]),
        Spacer(1, 8 * mm),
        Paragraph(f"À l’attention de {escape(letter.addressee)}", styles["body"]),
        Paragraph("Objet : votre compte Préau, l’espace numérique de l’école", styles["title"]),
        Paragraph("Madame, Monsieur,", styles["body"]),
    ]
    if letter.code is None:
        return flow + _reminder(letter, styles)
    flow += [
        Paragraph(
            f"{escape(school) or 'L’école'} utilise Préau, l’espace numérique qui relie l’école et "
            f"les familles. En tant que responsable légal de {_children_text(letter.children)}, "
            "vous pouvez y créer votre compte personnel.",
            styles["body"],
        ),
        Paragraph("Pour créer votre compte :", styles["body"]),
        Paragraph(
            f"1. ouvrez l’adresse <b>{escape(activation_url())}</b> dans un navigateur ;",
            styles["body"],
        ),
        Paragraph("2. saisissez votre code personnel :", styles["body"]),
        _code_box(letter.code, styles),
        Spacer(1, 3 * mm),
        Paragraph("3. choisissez votre identifiant et votre mot de passe.", styles["body"]),
        _qr_block(letter.code, styles),
        Paragraph(
            "Ce code est personnel : ne le communiquez à personne. Il ne peut servir qu’une "
            "seule fois et il expire le "
            f"<b>{french_date(letter.expires_on or today)}</b>.",
            styles["body"],
        ),
        Paragraph(
            "Si vous perdez ce courrier ou si le code a expiré, demandez un nouveau courrier "
            "au directeur ou à la directrice de l’école.",
            styles["body"],
        ),
    ]
    return flow + _closing(styles)


def _code_box(code: str, styles: dict[str, ParagraphStyle]) -> Table:
    box = Table([[Paragraph(escape(code), styles["code"])]], colWidths=[120 * mm])
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 4 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * mm),
            ]
        )
    )
    return box


def _qr_block(code: str, styles: dict[str, ParagraphStyle]) -> KeepTogether:
    text = Paragraph(
        "Avec un téléphone, vous pouvez aussi scanner ce QR code : il ouvre la page "
        "d’activation avec votre code déjà saisi.",
        styles["small"],
    )
    table = Table([[_qr(activation_url(code)), text]], colWidths=[42 * mm, 120 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return KeepTogether([Spacer(1, 2 * mm), table, Spacer(1, 2 * mm)])


def _reminder(letter: Letter, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    login_url = settings.PUBLIC_URL + reverse("account_login")
    return [
        Paragraph(
            "Votre compte Préau de responsable légal de "
            f"{_children_text(letter.children)} est déjà activé.",
            styles["body"],
        ),
        Paragraph(
            f"Votre identifiant est <b>{escape(letter.username)}</b>. Connectez-vous à "
            f"l’adresse <b>{escape(login_url)}</b>.",
            styles["body"],
        ),
        Paragraph(
            "Si vous avez oublié votre mot de passe, adressez-vous au directeur ou à la "
            "directrice de l’école.",
            styles["body"],
        ),
        *_closing(styles),
    ]


def _closing(styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    return [
        Spacer(1, 4 * mm),
        Paragraph(
            "Nous vous prions d’agréer, Madame, Monsieur, nos salutations distinguées.",
            styles["body"],
        ),
        Paragraph("La direction de l’école", styles["right"]),
    ]


def render_pdf(letters: list[Letter], today: dt.date | None = None) -> bytes:
    """The letters as one PDF, a page each."""
    today = today or timezone.localdate()
    styles = _styles()
    story: list[Flowable] = []
    for index, letter in enumerate(letters):
        if index:
            story.append(PageBreak())
        story += _page(letter, today, styles)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
        title="Lettres d’activation Préau",
        author="Préau",
        creator="Préau",
    )
    doc.build(story)
    return buffer.getvalue()
