"""The helpdesk's rules: the status flow, reopening, photos, notifications, SLA timings."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from preau.core.models import AuditEvent
from preau.helpdesk import photos, services, sla
from preau.helpdesk.models import Category, Photo, SlaTarget, Status
from preau.helpdesk.tests.conftest import jpeg_with_exif, report
from preau.notifications.models import Notification


def test_a_report_notifies_the_technicians_and_is_audited(world: Any, tech: Any) -> None:
    ticket = report(world)
    assert ticket.status == Status.NEW
    assert ticket.site_id == world.a.school.site_id
    assert Notification.objects.filter(recipient=tech, kind="helpdesk.new").count() == 1
    assert AuditEvent.objects.filter(action="helpdesk.ticket_reported").count() == 1


def test_one_reports_only_for_ones_own_school(world: Any) -> None:
    with pytest.raises(services.HelpdeskError, match="school you work in"):
        report(world, who=world.a.teachers[0], school=world.b.school)
    with pytest.raises(services.HelpdeskError):
        report(world, who=world.parent, school=world.a.school)


def test_the_status_flow_notifies_the_reporter_and_the_director(world: Any, tech: Any) -> None:
    ticket = report(world)
    services.handle(tech, ticket, services.Handling(assignee=tech))
    ticket.refresh_from_db()
    assert ticket.status == Status.ASSIGNED
    assert ticket.first_response_at is not None
    services.handle(tech, ticket, services.Handling(status=Status.IN_PROGRESS, minutes=20))
    services.handle(
        tech, ticket, services.Handling(status=Status.RESOLVED, body="Lampe changée", minutes=25)
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    assert ticket.minutes_spent == 45
    teacher, director = world.a.teachers[0], world.a.director
    assert Notification.objects.filter(recipient=teacher, kind="helpdesk.update").count() == 3
    assert Notification.objects.filter(recipient=director, kind="helpdesk.update").count() == 3
    with pytest.raises(services.HelpdeskError, match="cannot go from"):
        services.handle(tech, ticket, services.Handling(status=Status.WAITING))


def test_an_internal_note_is_silent_and_no_first_response(world: Any, tech: Any) -> None:
    ticket = report(world)
    services.handle(tech, ticket, services.Handling(body="Voir avec le fournisseur", internal=True))
    ticket.refresh_from_db()
    assert ticket.first_response_at is None
    assert not Notification.objects.filter(recipient=world.a.teachers[0]).exists()


def test_nothing_to_record_and_bad_assignee_are_refused(
    world: Any, tech: Any, vannes_tech: Any
) -> None:
    ticket = report(world)
    with pytest.raises(services.HelpdeskError, match="Nothing to record"):
        services.handle(tech, ticket, services.Handling())
    with pytest.raises(services.HelpdeskError, match="not a technician"):
        services.handle(tech, ticket, services.Handling(assignee=vannes_tech))
    with pytest.raises(services.HelpdeskError, match="Only the municipality"):
        services.handle(vannes_tech, ticket, services.Handling(status=Status.IN_PROGRESS))
    with pytest.raises(services.HelpdeskError, match="assigned ticket needs"):
        services.handle(tech, ticket, services.Handling(status=Status.ASSIGNED))


def test_the_reporter_reopens_within_the_delay_only(world: Any, tech: Any, settings: Any) -> None:
    settings.PREAU_HELPDESK_REOPEN_DAYS = 7
    ticket = report(world)
    services.handle(tech, ticket, services.Handling(assignee=tech, status=Status.RESOLVED))
    with pytest.raises(services.HelpdeskError, match="Only the reporter"):
        services.reopen(world.a.teachers[1], ticket, "Toujours en panne")
    services.reopen(world.a.teachers[0], ticket, "Toujours en panne")
    ticket.refresh_from_db()
    assert ticket.status == Status.ASSIGNED
    assert ticket.resolved_at is None
    services.handle(tech, ticket, services.Handling(status=Status.RESOLVED))
    ticket.refresh_from_db()
    assert ticket.resolved_at is not None
    late = ticket.resolved_at + dt.timedelta(days=8)
    assert not services.may_reopen(world.a.teachers[0], ticket, now=late)
    assert services.close_resolved(now=late) == 1
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


def test_photos_are_reencoded_without_exif(world: Any) -> None:
    ticket = services.report(
        world.a.teachers[0],
        world.a.school,
        services.TicketInput(
            category=Category.PRINTER, title="Bourrage", description="Papier coincé"
        ),
        uploads=[photos.Upload("IMG_001.JPG", jpeg_with_exif())],
    )
    photo = Photo.objects.get(ticket=ticket)
    assert photo.name == "IMG_001.jpg"
    with Image.open(io.BytesIO(bytes(photo.data))) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
    assert b"SecretCam" not in bytes(photo.data)


def test_bad_photos_write_nothing(world: Any, settings: Any) -> None:
    data = {"category": Category.PRINTER, "title": "Bourrage", "description": "Papier"}
    with pytest.raises(services.HelpdeskError, match="not a photo"):
        services.report(
            world.a.teachers[0],
            world.a.school,
            services.TicketInput(**data),
            uploads=[photos.Upload("x.jpg", b"%PDF-1.4 not an image")],
        )
    settings.PREAU_HELPDESK_MAX_PHOTO_BYTES = 100
    with pytest.raises(services.HelpdeskError, match="limit is"):
        services.report(
            world.a.teachers[0],
            world.a.school,
            services.TicketInput(**data),
            uploads=[photos.Upload("big.jpg", jpeg_with_exif())],
        )
    from preau.helpdesk.models import Ticket

    assert not Ticket.objects.exists()


def test_sla_timing_and_late_flags(world: Any, tech: Any) -> None:
    ticket = report(world, category=Category.NETWORK)
    target = sla.targets(world.lorient.pk)[Category.NETWORK]
    assert (target.first_response_hours, target.resolution_hours) == sla.DEFAULTS[Category.NETWORK]
    start = ticket.created_at
    fresh = sla.timing(ticket, target, now=start + dt.timedelta(hours=1))
    assert fresh.first_response is None
    assert not fresh.late
    waited = sla.timing(ticket, target, now=start + dt.timedelta(hours=5))
    assert waited.response_late
    assert not waited.resolution_late
    ticket.first_response_at = start + dt.timedelta(hours=2)
    ticket.resolved_at = start + dt.timedelta(hours=30)
    done = sla.timing(ticket, target, now=start + dt.timedelta(days=10))
    assert done.first_response == dt.timedelta(hours=2)
    assert not done.response_late
    assert done.resolution_late
    assert done.resolution_text == "1 d 6 h"


def test_a_city_admin_sets_targets_a_technician_cannot(world: Any, tech: Any) -> None:
    services.set_targets(world.city_admin, world.lorient, {Category.NETWORK: (2, 12)})
    assert sla.targets(world.lorient.pk)[Category.NETWORK].resolution_hours == 12
    assert SlaTarget.objects.count() == 1
    with pytest.raises(services.HelpdeskError):
        services.set_targets(tech, world.lorient, {Category.NETWORK: (2, 12)})
    with pytest.raises(services.HelpdeskError, match="before the resolution"):
        services.set_targets(world.city_admin, world.lorient, {Category.NETWORK: (24, 12)})
    with pytest.raises(services.HelpdeskError):
        services.set_targets(world.vannes_admin, world.lorient, {Category.NETWORK: (2, 12)})


def test_close_resolved_leaves_recent_ones(world: Any, tech: Any) -> None:
    ticket = report(world)
    services.handle(tech, ticket, services.Handling(status=Status.RESOLVED))
    assert services.close_resolved(now=timezone.now()) == 0
