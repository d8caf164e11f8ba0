"""The directory API as each persona, through HTTP, under the access kernel's rules."""

import json
import re

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from preau.accounts import token_services
from preau.conftest import _school as add_school
from preau.directory.models import Pupil, Room

API = "/api/v1"


def with_totp(user):
    """City roles must have a second factor before the API serves them."""
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
    )
    return user


def bearer(user) -> Client:
    _token, clear = token_services.create_token(user, "tests")
    return Client(headers={"Authorization": f"Bearer {clear}"})


@pytest.fixture
def admin(world):
    return world.client_for(world.city_admin)  # holds its second factor (persona world)


def get(client: Client, path: str, status: int = 200, **params):
    response = client.get(API + path, params)
    assert response.status_code == status, (path, response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def ids(page) -> set[int]:
    return {item["id"] for item in page["items"]}


# Authentication ----------------------------------------------------------------------


def _fill(path: str, pk: object) -> str:
    """A documented path with every parameter ({id}, {note_id}…) set to ``pk``."""
    return re.sub(r"\{[a-z_]+\}", str(pk), path)


def test_anonymous_gets_401_everywhere(world):
    paths = json.loads(Client().get(f"{API}/openapi.json").content)["paths"]
    assert paths
    for path, operations in paths.items():
        for method in operations:
            response = getattr(Client(), method)(_fill(path, world.a.school.pk))
            assert response.status_code == 401, (method, path)
            assert response.json() == {"detail": "Unauthorized"}


def test_token_auth_works_and_revoked_or_wrong_token_is_401(world):
    token, clear = token_services.create_token(world.a.director, "script")
    client = Client(headers={"Authorization": f"Bearer {clear}"})
    assert get(client, "/me")["username"] == "director_A"
    token.refresh_from_db()
    assert token.last_used_at is not None

    token_services.revoke_token(world.a.director, token.pk)
    assert client.get(f"{API}/me").status_code == 401
    wrong = Client(headers={"Authorization": f"Bearer {clear[:-1]}x"})
    assert wrong.get(f"{API}/me").status_code == 401


def test_token_of_inactive_user_is_401(world):
    client = bearer(world.a.teachers[0])
    world.a.teachers[0].is_active = False
    world.a.teachers[0].save(update_fields=["is_active"])
    assert client.get(f"{API}/me").status_code == 401


def test_session_auth_works_for_get(world):
    assert get(world.client_for(world.parent), "/me")["username"] == "parent"


def test_city_role_without_second_factor_is_refused(world):
    """The MFA middleware lets /api/ through; the API itself must refuse."""
    Authenticator.objects.filter(user=world.city_admin).delete()
    assert world.client_for(world.city_admin).get(f"{API}/me").status_code == 401
    assert bearer(world.city_admin).get(f"{API}/me").status_code == 401
    with_totp(world.city_admin)
    assert world.client_for(world.city_admin).get(f"{API}/me").status_code == 200


# OpenAPI and docs --------------------------------------------------------------------


def test_openapi_is_public_json_and_every_operation_requires_auth():
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    directory = {
        "/me",
        "/directory/municipalities",
        "/directory/municipalities/{id}",
        "/directory/schools",
        "/directory/schools/{id}",
        "/directory/sites",
        "/directory/sites/{id}",
        "/directory/sites/{id}/rooms",
        "/directory/classes",
        "/directory/classes/{id}",
        "/directory/classes/{id}/pupils",
        "/directory/pupils",
        "/directory/pupils/{id}",
        "/directory/guardians",
        "/directory/guardians/{id}",
    }
    paths = {path.removeprefix(API): operations for path, operations in document["paths"].items()}
    assert directory <= set(paths)
    # The directory is read-only; the workspace's routers (notes, messages…) also write.
    prefixes = (
        *("/me", "/directory/", "/news/", "/notes/", "/messages/", "/notifications/"),
        *("/homework/", "/agenda/", "/helpdesk/", "/loans/", "/fleet/"),
    )
    for path, operations in paths.items():
        assert path.startswith(prefixes), path
        if path in directory:
            assert set(operations) == {"get"}, path
        for operation in operations.values():
            assert operation["security"] == [{"TokenAuth": []}, {"SessionAuthWithMfa": []}]
    # The national pupil identifier (INE) is never exposed.
    for schema in document["components"]["schemas"].values():
        assert "ine" not in {name.lower() for name in schema.get("properties", {})}


def test_docs_are_served_without_any_other_host():
    response = Client().get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)
    assert '"validatorUrl": null' in html
    for asset in re.findall(r"""(?:src|href)=["'](/static/[^"']+)""", html):
        assert Client().get(asset).status_code == 200, asset


# Each persona ------------------------------------------------------------------------


def test_city_admin_sees_own_municipality(world, admin):
    assert ids(get(admin, "/directory/municipalities")) == {world.lorient.pk}
    assert ids(get(admin, "/directory/schools")) == {world.a.school.pk, world.b.school.pk}
    assert ids(get(admin, "/directory/sites")) == {world.a.school.site_id, world.b.school.site_id}
    pupils = get(admin, "/directory/pupils")
    assert pupils["count"] == len(world.a.pupils) + len(world.b.pupils)
    guardians = get(admin, "/directory/guardians")
    assert guardians["count"] == len(world.a.guardians) + len(world.b.guardians) + 1  # Camille


def test_vannes_admin_sees_only_vannes(world, admin):
    client = world.client_for(world.vannes_admin)
    assert ids(get(client, "/directory/schools")) == {world.v.school.pk}
    assert ids(get(client, "/directory/pupils")) == {p.pk for p in world.v.pupils}


def test_director_sees_own_school(world):
    client = world.client_for(world.a.director)
    assert ids(get(client, "/directory/schools")) == {world.a.school.pk}
    assert ids(get(client, "/directory/classes")) == {c.pk for c in world.a.classes}
    assert ids(get(client, "/directory/pupils")) == {p.pk for p in world.a.pupils}
    guardian = get(client, f"/directory/guardians/{world.a.guardians[0].pk}")
    assert guardian["email"] == world.a.guardians[0].email
    assert guardian["children"] == [world.a.pupils[0].pk]


def test_teacher_sees_own_class(world):
    client = world.client_for(world.a.teachers[0])
    own, other = world.a.classes
    assert ids(get(client, "/directory/classes")) == {own.pk}
    assert ids(get(client, f"/directory/classes/{own.pk}/pupils")) == {
        p.pk for p in world.a.pupils[:2]
    }
    get(client, f"/directory/classes/{other.pk}", 404)
    get(client, f"/directory/pupils/{world.a.pupils[2].pk}", 404)
    # Camille is the guardian of a pupil of this class and of one in the other class:
    # the teacher sees her, but only the child they teach.
    camille = get(client, f"/directory/guardians/{world.parent_guardian.pk}")
    assert camille["children"] == [world.a.pupils[0].pk]


def test_guardian_sees_own_children_and_self(world):
    client = world.client_for(world.parent)
    children = {world.a.pupils[0].pk, world.a.pupils[2].pk}
    assert ids(get(client, "/directory/pupils")) == children
    assert ids(get(client, "/directory/classes")) == {c.pk for c in world.a.classes}
    assert ids(get(client, "/directory/schools")) == {world.a.school.pk}
    assert ids(get(client, "/directory/guardians")) == {world.parent_guardian.pk}
    assert set(get(client, f"/directory/guardians/{world.parent_guardian.pk}")["children"]) == (
        children
    )
    assert get(client, "/directory/sites")["count"] == 0
    get(client, f"/directory/pupils/{world.a.pupils[1].pk}", 404)
    get(client, f"/directory/guardians/{world.a.guardians[0].pk}", 404)
    # A class page lists only the guardian's own child, not the classmates.
    own_class = world.a.classes[0]
    assert ids(get(client, f"/directory/classes/{own_class.pk}/pupils")) == {world.a.pupils[0].pk}


def test_erun_sees_schools_but_no_pupils_or_guardians(world):
    client = world.client_for(world.erun)
    assert ids(get(client, "/directory/schools")) == {world.a.school.pk}
    assert ids(get(client, "/directory/classes")) == {c.pk for c in world.a.classes}
    assert get(client, "/directory/pupils")["count"] == 0
    assert get(client, "/directory/guardians")["count"] == 0
    assert get(client, f"/directory/classes/{world.a.classes[0].pk}/pupils")["count"] == 0
    get(client, f"/directory/pupils/{world.a.pupils[0].pk}", 404)
    get(client, f"/directory/guardians/{world.a.guardians[0].pk}", 404)


def test_pupil_sees_self_and_no_guardian_contacts(world):
    client = world.client_for(world.pupil_user)
    assert ids(get(client, "/directory/pupils")) == {world.a.pupils[0].pk}
    assert get(client, "/directory/guardians")["count"] == 0
    get(client, f"/directory/guardians/{world.parent_guardian.pk}", 404)


def test_outsider_sees_nothing(world):
    client = world.client_for(world.outsider)
    for path in ["municipalities", "schools", "sites", "classes", "pupils", "guardians"]:
        assert get(client, f"/directory/{path}") == {"items": [], "count": 0}
    get(client, f"/directory/schools/{world.a.school.pk}", 404)


# Someone else's object -------------------------------------------------------------------


def _detail_paths(world, sw):
    return [
        f"/directory/municipalities/{sw.school.municipality_id}",
        f"/directory/schools/{sw.school.pk}",
        f"/directory/sites/{sw.school.site_id}",
        f"/directory/sites/{sw.school.site_id}/rooms",
        f"/directory/classes/{sw.classes[0].pk}",
        f"/directory/classes/{sw.classes[0].pk}/pupils",
        f"/directory/pupils/{sw.pupils[0].pk}",
        f"/directory/guardians/{sw.guardians[0].pk}",
    ]


def test_other_municipality_is_404_on_every_id_endpoint(world, admin):
    client = world.client_for(world.vannes_admin)
    for path in _detail_paths(world, world.a):
        assert get(client, path, 404) == {"detail": "Not Found"}
    for path in _detail_paths(world, world.v):
        get(client, path, 200)


def test_other_school_is_404_on_every_id_endpoint(world):
    client = world.client_for(world.a.director)
    # School B's municipality (Lorient) is also A's, so the director may see it.
    for path in _detail_paths(world, world.b)[1:]:
        assert get(client, path, 404) == {"detail": "Not Found"}
    for path in _detail_paths(world, world.a):
        get(client, path, 200)


def test_missing_is_the_same_404(world, admin):
    for path in _detail_paths(world, world.a):
        missing = re.sub(r"/\d+", "/999999", path, count=1)
        assert get(admin, missing, 404) == {"detail": "Not Found"}


# Minimisation, filters, pagination ----------------------------------------------------


def test_no_ine_nor_sex_in_any_response(world, admin):
    for path in [
        "/directory/pupils",
        f"/directory/pupils/{world.a.pupils[0].pk}",
        f"/directory/classes/{world.a.classes[0].pk}/pupils",
    ]:
        response = admin.get(API + path)
        body = response.content.decode()
        for pupil in world.a.pupils:
            assert pupil.ine
            assert pupil.ine not in body
        assert '"ine"' not in body
        assert '"sex"' not in body


def test_filters(world, admin):
    cp = world.a.classes[0]
    assert ids(get(admin, "/directory/classes", level="CP")) == {
        world.a.classes[0].pk,
        world.b.classes[0].pk,
    }
    assert ids(get(admin, "/directory/classes", school=world.a.school.pk, level="CM2")) == {
        world.a.classes[1].pk
    }
    get(admin, "/directory/classes", 422, level="CP3")
    assert ids(get(admin, "/directory/pupils", **{"class": cp.pk})) == {
        p.pk for p in world.a.pupils[:2]
    }
    assert ids(get(admin, "/directory/pupils", q="elevea01")) == {world.a.pupils[1].pk}
    # The same search as the pages: every word, ignoring case and accents.
    assert ids(get(admin, "/directory/pupils", q="prenom1 ELEVEA0")) == {world.a.pupils[1].pk}
    assert ids(get(admin, "/directory/pupils", school=world.b.school.pk, level="CM2")) == {
        p.pk for p in world.b.pupils[2:]
    }
    assert ids(get(admin, "/directory/schools", q="0561002b")) == {world.b.school.pk}
    assert ids(get(admin, "/directory/guardians", pupil=world.a.pupils[0].pk)) == {
        world.a.guardians[0].pk,
        world.parent_guardian.pk,
    }
    assert ids(get(admin, "/directory/guardians", q="camille")) == {world.parent_guardian.pk}
    in_class = get(admin, "/directory/guardians", **{"class": world.a.classes[1].pk})
    assert ids(in_class) == {g.pk for g in world.a.guardians[2:]} | {world.parent_guardian.pk}
    # A filter never widens what the kernel allows.
    assert get(admin, "/directory/pupils", school=world.v.school.pk)["count"] == 0


def test_pupil_fields(world, admin):
    pupil = world.a.pupils[0]
    Pupil.objects.filter(pk=pupil.pk).update(usage_name="USAGE")
    data = get(admin, f"/directory/pupils/{pupil.pk}")
    assert data == {
        "id": pupil.pk,
        "first_name": pupil.first_name,
        "last_name": "USAGE",
        "birth_date": pupil.birth_date.isoformat(),
        "level": "CP",
        "school_id": world.a.school.pk,
        "class_id": world.a.classes[0].pk,
        "consent_photo": True,
        "consent_associations": False,
        "left_on": None,
    }


def test_pagination_is_bounded(world, admin):
    site = world.a.school.site
    Room.objects.bulk_create(Room(site=site, name=f"Salle {i:03}") for i in range(205))
    page = get(admin, f"/directory/sites/{site.pk}/rooms", page_size=1000)
    assert page["count"] == 205
    assert len(page["items"]) == 200
    page = get(admin, f"/directory/sites/{site.pk}/rooms", page=3, page_size=100)
    assert [room["name"] for room in page["items"]] == [f"Salle {i:03}" for i in range(200, 205)]
    assert len(get(admin, f"/directory/sites/{site.pk}/rooms")["items"]) == 50
    get(admin, "/directory/pupils", 422, page=0)
    assert len(get(admin, f"/directory/sites/{site.pk}")["rooms"]) == 205


# /me ---------------------------------------------------------------------------------


def test_me_describes_roles_and_scope(world, admin):
    me = get(admin, "/me")
    assert me["roles"] == ["city_admin"]
    assert me["city_roles"] == [{"municipality_id": world.lorient.pk, "roles": ["city_admin"]}]
    me = get(world.client_for(world.a.teachers[0]), "/me")
    assert me["roles"] == ["teacher"]
    assert me["teacher_classes"] == [world.a.classes[0].pk]
    me = get(world.client_for(world.parent), "/me")
    assert me["roles"] == ["guardian"]
    assert me["guardian_id"] == world.parent_guardian.pk
    assert set(me["children"]) == {world.a.pupils[0].pk, world.a.pupils[2].pk}
    me = get(world.client_for(world.outsider), "/me")
    assert me["roles"] == []
    assert me["display_name"] == "Otto Outsider"


# No path errors -------------------------------------------------------------------------


def test_every_documented_path_answers_200_or_404_for_the_city_admin(world, admin):
    paths = json.loads(Client().get(f"{API}/openapi.json").content)["paths"]
    candidates = [world.a.school.pk, world.v.pupils[0].pk, 999999] + [p.pk for p in world.a.pupils]
    for path, operations in paths.items():
        if "get" not in operations:
            continue
        for pk in candidates if "{" in path else [None]:
            url = _fill(path, pk)
            response = admin.get(url)
            assert response.status_code in (200, 404), (url, response.status_code)
            response.json()


def test_the_api_is_read_only(world):
    client = bearer(world.a.director)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"{API}/directory/pupils/{world.a.pupils[0].pk}")
        assert response.status_code == 405, method


@pytest.mark.parametrize(
    "path",
    ["/directory/pupils", "/directory/guardians", "/directory/classes", "/directory/schools"],
)
def test_list_queries_do_not_grow_with_rows(world, admin, path, django_assert_max_num_queries):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            get(admin, path)
        return len(queries)

    before = count()
    add_school(world.lorient, world.year, "C", "0561003C", families=5)
    assert count() == before
    with django_assert_max_num_queries(12):
        get(admin, path)


def test_unknown_paths_and_bad_ids_answer_in_json(world):
    client = world.client_for(world.a.director)
    assert get(client, "/directory/nowhere", 404) == {"detail": "Not Found"}
    assert get(Client(), "/nowhere", 404) == {"detail": "Not Found"}
    assert get(client, "/directory/pupils/abc", 422)["detail"][0]["loc"] == ["path", "id"]
