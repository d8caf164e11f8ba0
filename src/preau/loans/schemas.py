"""The loans API's schemas."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class LoanableOut(Schema):
    id: int
    asset_id: int
    name: str
    site_id: int | None
    note: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.asset)

    @staticmethod
    def resolve_site_id(obj: Any) -> int | None:
        return obj.asset.site_id


class BookingOut(Schema):
    id: int
    loanable_id: int
    school_id: int
    class_id: int
    borrower_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    condition: str
    items_out: int | None
    items_returned: int | None

    @staticmethod
    def resolve_class_id(obj: Any) -> int:
        return obj.school_class_id


class BookingIn(Schema):
    loanable_id: int
    class_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
