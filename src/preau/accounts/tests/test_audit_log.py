import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.core import audit
from preau.core.models import AuditEvent

URL = reverse("accounts:audit_log")


@pytest.fixture
def events(world):
    audit.record("login", actor=world.a.director)
    audit.record("login_failed", actor_label="director_A", municipality_id=world.lorient.pk)
    audit.record("onde.import", actor=world.b.director, target=world.b.school, created=3)
    audit.record("login", actor=world.v.director)  # Vannes
    old = audit.record("login", actor=world.a.teachers[0])
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=40))
    return world


def client_for(world, user):
    client = world.client_for(user)
    # Logging the test client in is itself audited: keep the fixture's events alone.
    AuditEvent.objects.filter(action="login", actor=user).delete()
    return client


def shown(resp):
    return [(e.action, e.actor_label) for e in resp.context["page_obj"].object_list]


def test_city_admin_sees_own_municipality_newest_first(events):
    resp = client_for(events, events.city_admin).get(URL)
    assert resp.status_code == 200
    assert shown(resp) == [
        ("onde.import", "director_B"),
        ("login_failed", "director_A"),
        ("login", "director_A"),
        ("login", "teacher_A0"),
    ]
    assert "director_V" not in resp.text


def test_vannes_admin_sees_only_vannes(events):
    resp = client_for(events, events.vannes_admin).get(URL)
    assert shown(resp) == [("login", "director_V")]


@pytest.mark.parametrize("who", ["director", "teacher", "parent", "erun", "outsider", "pupil"])
def test_everyone_else_gets_404(events, who):
    user = {
        "director": events.a.director,
        "teacher": events.a.teachers[0],
        "parent": events.parent,
        "erun": events.erun,
        "outsider": events.outsider,
        "pupil": events.pupil_user,
    }[who]
    client = client_for(events, user)
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"format": "csv"}).status_code == 404
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


def test_anonymous_is_sent_to_login(events, anon):
    assert reverse("account_login") in anon.get(URL).url


def test_filters_by_person_action_and_dates(events):
    client = client_for(events, events.city_admin)
    assert shown(client.get(URL, {"person": "DIRECTOR_a"})) == [
        ("login_failed", "director_A"),
        ("login", "director_A"),
    ]
    assert shown(client.get(URL, {"action": "onde.import"})) == [("onde.import", "director_B")]
    today = timezone.localdate()
    # The day the old event fell on in Paris (40 × 24 h back may cross a clock change).
    old_day = timezone.localdate(timezone.now() - dt.timedelta(days=40)).isoformat()
    assert shown(client.get(URL, {"date_to": old_day})) == [("login", "teacher_A0")]
    assert len(shown(client.get(URL, {"date_from": today.isoformat()}))) == 3
    assert shown(
        client.get(URL, {"action": "login", "date_from": old_day, "date_to": old_day})
    ) == [("login", "teacher_A0")]
    # Vannes' actions are not even offered as a choice.
    resp = client.get(URL)
    assert [c[0] for c in resp.context["form"].fields["action"].choices] == [
        "",
        "login",
        "login_failed",
        "onde.import",
    ]


def test_bad_filter_values_are_reported_not_crashed(events):
    resp = client_for(events, events.city_admin).get(
        URL, {"date_from": "yesterday", "action": "nope"}
    )
    assert resp.status_code == 200
    assert resp.context["form"].errors


def test_pages_of_fifty(events):
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(action="login", actor_label=f"u{n}", municipality_id=events.lorient.pk)
            for n in range(120)
        ]
    )
    client = client_for(events, events.city_admin)
    first = client.get(URL)
    assert len(first.context["page_obj"].object_list) == 50
    last = client.get(URL, {"page": 3})
    assert len(last.context["page_obj"].object_list) == 124 - 100


def test_csv_export_of_the_filtered_view_is_audited(events):
    client = client_for(events, events.city_admin)
    resp = client.get(URL, {"person": "director", "format": "csv"})
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("text/csv")
    assert "attachment" in resp["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(resp.streaming_content).decode())))
    assert rows[0][:3] == ["at", "actor", "action"]
    assert sorted(r[1] for r in rows[1:]) == ["director_A", "director_A", "director_B"]
    exported = AuditEvent.objects.get(action="audit.exported")
    assert exported.actor == events.city_admin
    assert exported.municipality_id == events.lorient.pk
    assert exported.data == {"rows": 3, "filters": {"person": "director"}}


def test_csv_cells_cannot_become_formulas(events):
    audit.record("login_failed", actor_label="=HYPERLINK(1)", municipality_id=events.lorient.pk)
    resp = client_for(events, events.city_admin).get(URL, {"format": "csv"})
    body = b"".join(resp.streaming_content).decode()
    assert "'=HYPERLINK(1)" in body


def test_actions_are_shown_with_their_label(world):
    from preau.core import audit

    audit.record("role.granted", actor=world.city_admin, municipality_id=world.lorient.pk)
    client = world.client_for(world.city_admin)
    resp = client.get("/account/audit/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Role granted" in resp.text
    resp = client.get("/account/audit/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Rôle attribué" in resp.text
