"""Printable QR labels: an A4 sheet of 3 × 8 labels (70 × 37 mm, e.g. Avery L7159).

Each QR code encodes the absolute URL ``<PREAU_PUBLIC_URL>/fleet/a/<code>``; scanning it
with a phone opens the asset's page after login (and the access check).
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.conf import settings
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from preau.fleet.models import Asset

COLUMNS, ROWS = 3, 8
LABEL_W, LABEL_H = 70 * mm, 37 * mm
TOP = (A4[1] - ROWS * LABEL_H) / 2
QR_SIZE = 30 * mm
MAX_LABELS = 960  # 40 sheets


def asset_url(asset: Asset) -> str:
    return f"{settings.PUBLIC_URL}/fleet/a/{asset.code}"


def _qr(url: str) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    scale = [QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0]
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=scale)
    drawing.add(widget)
    return drawing


def labels_pdf(assets: Iterable[Asset], title: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(title)
    for index, asset in enumerate(assets):
        slot = index % (COLUMNS * ROWS)
        if index and slot == 0:
            canvas.showPage()
        column, row = slot % COLUMNS, slot // COLUMNS
        x = column * LABEL_W
        y = A4[1] - TOP - (row + 1) * LABEL_H
        renderPDF.draw(_qr(asset_url(asset)), canvas, x + 3 * mm, y + 3.5 * mm)
        text_x = x + QR_SIZE + 5 * mm
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(text_x, y + 27 * mm, asset.code)
        canvas.setFont("Helvetica", 7.5)
        lines = [
            asset.get_kind_display(),
            f"{asset.manufacturer} {asset.model}".strip()[:28],
            f"S/N {asset.serial}"[:30] if asset.serial else "",
            (asset.site.name if asset.site else "")[:30],
        ]
        for n, line in enumerate(line for line in lines if line):
            canvas.drawString(text_x, y + (21 - 4.5 * n) * mm, line)
    canvas.save()
    return buffer.getvalue()
