"""Finding assets by what people type: a serial, a label code, a model, an order number
or a word of the notes (accents ignored). Shared by the asset list and the API."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from preau.core.search import fold
from preau.fleet.models import Asset

MAX_WORDS = 5


def search_assets(assets: QuerySet[Asset], q: str) -> QuerySet[Asset]:
    """``assets`` that match every word of ``q`` (the first five)."""
    for word in q.split()[:MAX_WORDS]:
        folded = fold(word)
        assets = assets.filter(
            Q(serial__icontains=word)
            | Q(code__iexact=word)
            | Q(model__fold__contains=folded)
            | Q(manufacturer__fold__contains=folded)
            | Q(order_ref__icontains=word)
            | Q(notes__fold__contains=folded)
        )
    return assets
