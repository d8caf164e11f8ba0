"""A plausible school year of news for the demo world: fictional, deterministic, fast.

Each class gets six posts from its teacher spread over the year (a few with photos of
pupils' drawings, a few open to comments, one edited), each school four from its
director, the city three from its admin. Photos are drawings made here with Pillow:
no real person appears. One photo per class also "shows" two pupils, only ever pupils
whose photo consent is in force. Posts dated after today are scheduled ones and
appear on their date. Every post is marked as already announced, so loading the demo
never sends a wave of notifications.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from preau.directory.models import (
    Enrolment,
    GuardianLink,
    Membership,
    Municipality,
    Role,
    School,
    SchoolClass,
    SchoolYear,
)
from preau.news import images, richtext, storage
from preau.news.consent import pupils_without_consent
from preau.news.models import Audience, Comment, Photo, Post, PostRevision
from preau.news.seed_texts import CITY_POSTS, CLASS_POSTS, COMMENTS, SCHOOL_POSTS

SEED = 20250901
BATCH = 500


@dataclass
class _Drawing:
    image: str  # names in the storage, shared by the demo's photos
    thumb: str
    width: int
    height: int
    size: int


def _drawings(municipality_id: int) -> list[_Drawing]:
    """Children's-drawing-like pictures (a house, a tree, a boat, a sun, flowers), stored
    once and shared by every demo photo: deleting a photo keeps a file others still use
    (``storage.delete_now``)."""
    found = []
    for index, sky in enumerate(
        (
            (173, 216, 230),
            (255, 236, 179),
            (200, 230, 201),
            (225, 190, 231),
            (187, 222, 251),
            (255, 205, 210),
        )
    ):
        image = Image.new("RGB", (800, 600), sky)
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 450, 800, 600), fill=(124, 179, 66))
        draw.ellipse((620, 40, 740, 160), fill=(253, 216, 53))
        if index % 3 == 0:
            draw.rectangle((150, 280, 390, 460), fill=(239, 108, 0))
            draw.polygon(((130, 290), (270, 170), (410, 290)), fill=(183, 28, 28))
            draw.rectangle((240, 360, 300, 460), fill=(93, 64, 55))
        elif index % 3 == 1:
            draw.rectangle((380, 300, 420, 470), fill=(121, 85, 72))
            draw.ellipse((300, 170, 500, 340), fill=(46, 125, 50))
        else:
            draw.rectangle((0, 420, 800, 470), fill=(30, 136, 229))
            draw.polygon(((250, 400), (550, 400), (500, 440), (300, 440)), fill=(109, 76, 65))
            draw.polygon(((400, 230), (400, 395), (510, 395)), fill=(250, 250, 250))
        for x in range(60, 800, 140):
            draw.ellipse((x, 500 + index * 5, x + 30, 530 + index * 5), fill=(236, 64, 122))
        out = io.BytesIO()
        image.save(out, "PNG")
        encoded = images.reencode_photo("dessin.png", out.getvalue())
        thumb = images.thumbnail(encoded.data).data
        found.append(
            _Drawing(
                storage.store(municipality_id, "photos", encoded.data, "jpg"),
                storage.store(municipality_id, "thumbs", thumb, "jpg"),
                encoded.width,
                encoded.height,
                len(encoded.data),
            )
        )
    return found


def _at(year: SchoolYear, days: int, rng: random.Random) -> dt.datetime:
    day = year.starts_on + dt.timedelta(days=days)
    if day.weekday() >= 5:  # a weekend: the Friday before
        day -= dt.timedelta(days=day.weekday() - 4)
    moment = dt.datetime.combine(day, dt.time(16, 30 + rng.randrange(25)))
    return timezone.make_aware(moment)


def _post(
    audience: str,
    muni: Municipality,
    author_id: int | None,
    title: str,
    text: str,
    when: dt.datetime,
    **where: Any,
) -> Post:
    return Post(
        audience=audience,
        municipality=muni,
        author_id=author_id,
        title=title,
        text=text,
        html=richtext.render(text),
        status=Post.Status.PUBLISHED,
        publish_at=when,
        announced_at=when,
        **where,
    )


def load_demo_news(municipality: Municipality) -> int:
    """Write the year's news of ``municipality``; returns how many posts."""
    year = SchoolYear.objects.filter(is_current=True).first()
    if year is None:
        return 0
    rng = random.Random(SEED)
    classes = list(
        SchoolClass.objects.filter(school__municipality=municipality, year=year)
        .select_related("school")
        .order_by("pk")
    )
    teachers = _first_user(Role.TEACHER, "school_class_id", municipality)
    directors = _first_user(Role.DIRECTOR, "school_id", municipality)
    admin = _first_user(Role.CITY_ADMIN, "municipality_id", municipality).get(municipality.pk)
    posts: list[Post] = []
    plans: list[tuple[Post, int, bool, int | None]] = []  # post, photos, comments, class
    for cls in classes:
        for days, title, text, photos, comments in sorted(rng.sample(CLASS_POSTS, 6)):
            post = _post(
                Audience.CLASS,
                municipality,
                teachers.get(cls.pk),
                title.format(classe=cls.label),
                text,
                _at(year, days, rng),
                school_id=cls.school_id,
                school_class=cls,
                comments_enabled=comments,
            )
            posts.append(post)
            plans.append((post, photos, comments, cls.pk))
    schools = School.objects.filter(municipality=municipality).order_by("pk")
    for school in schools:
        for days, title, text in SCHOOL_POSTS:
            when = _at(year, days, rng)
            posts.append(
                _post(
                    Audience.SCHOOL,
                    municipality,
                    directors.get(school.pk),
                    title,
                    text,
                    when,
                    school=school,
                )
            )
    for days, title, text in CITY_POSTS:
        posts.append(
            _post(Audience.MUNICIPALITY, municipality, admin, title, text, _at(year, days, rng))
        )
    with transaction.atomic():
        Post.objects.bulk_create(posts, batch_size=BATCH)
        _photos(plans, rng)
        _comments(plans, rng)
        _revisions(plans)
    return len(posts)


def _first_user(role: str, key: str, municipality: Municipality) -> dict[int, int]:
    rows = (
        Membership.objects.filter(role=role, municipality=municipality)
        .order_by("pk")
        .values_list(key, "user_id")
    )
    found: dict[int, int] = {}
    for scope_id, user_id in rows:
        found.setdefault(scope_id, user_id)
    return found


def _pupils_by_class(class_ids: set[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    rows = Enrolment.objects.filter(school_class_id__in=class_ids, ended_on__isnull=True)
    for class_id, pupil_id in rows.order_by("pupil_id").values_list("school_class_id", "pupil_id"):
        found.setdefault(class_id, []).append(pupil_id)
    return found


def _photos(plans: list[tuple[Post, int, bool, int | None]], rng: random.Random) -> None:
    if not plans:
        return
    drawings = _drawings(plans[0][0].municipality_id)
    class_ids = {c for _p, n, _c, c in plans if n and c is not None}
    pupils = _pupils_by_class(class_ids)
    refused = pupils_without_consent(p for ids in pupils.values() for p in ids)
    rows: list[Photo] = []
    tags: list[tuple[int, list[int]]] = []  # index in rows, pupils
    tagged_classes: set[int] = set()
    for post, count, _comments, class_id in plans:
        for position in range(count):
            drawing = drawings[rng.randrange(len(drawings))]
            shows = [p for p in pupils.get(class_id or 0, []) if p not in refused]
            group = class_id not in tagged_classes and len(shows) >= 2
            rows.append(
                Photo(
                    post=post,
                    image=drawing.image,
                    thumbnail=drawing.thumb,
                    width=drawing.width,
                    height=drawing.height,
                    size=drawing.size,
                    caption="Dessin des élèves" if not group else "Deux élèves et leur dessin",
                    original_name=f"dessin-{position + 1}.jpg",
                    position=position + 1,
                    no_pupils=not group,
                )
            )
            if group and class_id is not None:
                tagged_classes.add(class_id)
                tags.append((len(rows) - 1, rng.sample(shows, 2)))
    Photo.objects.bulk_create(rows, batch_size=BATCH)
    through = Photo.pupils.through
    through.objects.bulk_create(
        [through(photo_id=rows[i].pk, pupil_id=p) for i, ids in tags for p in ids],
        batch_size=BATCH,
    )


def _comments(plans: list[tuple[Post, int, bool, int | None]], rng: random.Random) -> None:
    class_ids = {c for _p, _n, open_, c in plans if open_ and c is not None}
    users: dict[int, list[tuple[int, str]]] = {}
    links = GuardianLink.objects.filter(
        pupil__enrolments__school_class_id__in=class_ids,
        pupil__enrolments__ended_on__isnull=True,
        guardian__user__isnull=False,
    ).order_by("pk")
    for linked_class, user_id, first, last in links.values_list(
        "pupil__enrolments__school_class_id",
        "guardian__user_id",
        "guardian__user__first_name",
        "guardian__user__last_name",
    ):
        users.setdefault(linked_class, []).append((user_id, f"{first} {last}".strip()))
    rows = []
    now = timezone.now()
    for post, _n, open_, class_id in plans:
        people = users.get(class_id or 0, [])
        if not open_ or not people or post.publish_at is None or post.publish_at > now:
            continue
        for offset in range(rng.randrange(3)):
            user_id, name = people[rng.randrange(len(people))]
            rows.append(
                Comment(
                    post=post,
                    author_id=user_id,
                    author_name=name,
                    text=COMMENTS[rng.randrange(len(COMMENTS))],
                    created_at=post.publish_at + dt.timedelta(hours=2 + offset * 3),
                )
            )
    Comment.objects.bulk_create(rows, batch_size=BATCH)


def _revisions(plans: list[tuple[Post, int, bool, int | None]]) -> None:
    """The welcome post of each class was corrected once (the meeting moved)."""
    rows = []
    for post, _n, _c, _class in plans:
        if post.title.startswith("Bienvenue"):
            rows.append(
                PostRevision(
                    post=post,
                    title=post.title,
                    text=post.text.replace("jeudi", "mardi"),
                    html=richtext.render(post.text.replace("jeudi", "mardi")),
                    edited_by_id=post.author_id,
                )
            )
            post.edited_at = post.publish_at + dt.timedelta(hours=1) if post.publish_at else None
    PostRevision.objects.bulk_create(rows, batch_size=BATCH)
    Post.objects.bulk_update([r.post for r in rows], ["edited_at"], batch_size=BATCH)
