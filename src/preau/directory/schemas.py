"""What the API shows of each directory record: only the fields a client needs.

Minimisation is deliberate: no INE, no sex, no legal-link details in any schema; a
guardian's contacts appear only in ``GuardianOut``, which only people allowed to see
guardians (``preau.directory.access``) can obtain.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class MunicipalityOut(Schema):
    id: int
    name: str
    insee_code: str
    slug: str


class SchoolOut(Schema):
    id: int
    uai: str
    name: str
    kind: str
    municipality_id: int
    group_id: int | None
    group_name: str | None
    site_id: int
    email: str
    phone: str

    @staticmethod
    def resolve_group_name(obj: Any) -> str | None:
        return obj.group.name if obj.group_id else None


class RoomOut(Schema):
    id: int
    name: str
    kind: str
    floor: str


class SiteOut(Schema):
    id: int
    name: str
    municipality_id: int
    group_id: int | None
    address: str
    postcode: str
    city: str
    latitude: float | None
    longitude: float | None


class SiteDetailOut(SiteOut):
    rooms: list[RoomOut]


class SchoolClassOut(Schema):
    id: int
    label: str
    school_id: int
    year: str
    levels: list[str]
    is_ulis: bool
    room_id: int | None

    @staticmethod
    def resolve_year(obj: Any) -> str:
        return str(obj.year.label)


class PupilOut(Schema):
    id: int
    first_name: str
    last_name: str
    birth_date: dt.date
    level: str
    school_id: int
    class_id: int | None
    consent_photo: bool
    consent_associations: bool
    left_on: dt.date | None

    @staticmethod
    def resolve_last_name(obj: Any) -> str:
        return str(obj.display_last_name)

    @staticmethod
    def resolve_class_id(obj: Any) -> int | None:
        # Annotated by the API's queryset (the current, open enrolment).
        return getattr(obj, "class_id", None)


class GuardianOut(Schema):
    id: int
    civility: str
    last_name: str
    first_name: str
    email: str
    phone_mobile: str
    children: list[int]

    @staticmethod
    def resolve_last_name(obj: Any) -> str:
        return str(obj.usage_name or obj.last_name)

    @staticmethod
    def resolve_children(obj: Any) -> list[int]:
        # Prefetched by the API with only the links the requesting user may see.
        return [link.pupil_id for link in getattr(obj, "visible_links", [])]
