"""The directory: who and what every subsystem stands on.

Municipality → groupes scolaires → schools (on sites, with rooms) → classes per school
year → pupils (through enrolments) and their legal guardians; staff are attached by
memberships. The municipality is the tenant boundary: every row reaches exactly one.

Children's data is minimised on purpose: no pupil address, no birthplace, no INE shown
to anyone who does not need it; ONDE columns we do not need are not stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from preau.core.models import TimeStampedModel


class Level(models.TextChoices):
    TPS = "TPS", "TPS"
    PS = "PS", "PS"
    MS = "MS", "MS"
    GS = "GS", "GS"
    CP = "CP", "CP"
    CE1 = "CE1", "CE1"
    CE2 = "CE2", "CE2"
    CM1 = "CM1", "CM1"
    CM2 = "CM2", "CM2"


LEVEL_ORDER = [level.value for level in Level]
MATERNELLE_LEVELS = {"TPS", "PS", "MS", "GS"}


class Municipality(TimeStampedModel):
    name = models.CharField(_("name"), max_length=120)
    insee_code = models.CharField(_("INSEE code"), max_length=5, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name

    @property
    def municipality_id(self) -> int:
        return self.pk


class SchoolGroup(TimeStampedModel):
    """A groupe scolaire: the schools (often a maternelle and an élémentaire) of one area."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        ordering = ["name"]
        verbose_name = _("school group")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="uniq_group_name")
        ]

    def __str__(self) -> str:
        return self.name


class Site(TimeStampedModel):
    """A building or campus where one or more schools are housed."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="sites")
    group = models.ForeignKey(
        SchoolGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="sites"
    )
    name = models.CharField(_("name"), max_length=150)
    address = models.CharField(_("address"), max_length=250, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")

    def __str__(self) -> str:
        return self.name


class Room(TimeStampedModel):
    class Kind(models.TextChoices):
        CLASSROOM = "classroom", _("classroom")
        LIBRARY = "library", _("library (BCD)")
        COMPUTER = "computer", _("computer room")
        OFFICE = "office", _("office")
        TECHNICAL = "technical", _("technical room")
        OTHER = "other", _("other")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CLASSROOM)
    floor = models.CharField(_("floor"), max_length=20, blank=True)

    class Meta:
        ordering = ["site", "name"]
        verbose_name = _("room")
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="uniq_room_name")]

    def __str__(self) -> str:
        return f"{self.site} — {self.name}"

    @property
    def municipality_id(self) -> int:
        return self.site.municipality_id


class School(TimeStampedModel):
    class Kind(models.TextChoices):
        MATERNELLE = "maternelle", _("nursery school (maternelle)")
        ELEMENTAIRE = "elementaire", _("elementary school (élémentaire)")
        PRIMAIRE = "primaire", _("primary school (primaire)")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="schools")
    group = models.ForeignKey(
        SchoolGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="schools"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="schools")
    uai = models.CharField(_("UAI"), max_length=8, unique=True, help_text=_("e.g. 0560001A"))
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")

    def __str__(self) -> str:
        return self.name


class SchoolYear(models.Model):
    label = models.CharField(_("label"), max_length=9, unique=True, help_text="2025-2026")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_current = models.BooleanField(_("current"), default=False)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("school year")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_year"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @classmethod
    def current(cls) -> SchoolYear:
        year = cls.objects.filter(is_current=True).first()
        if year is None:
            raise cls.DoesNotExist("No current school year is set.")
        return year


class SchoolClass(TimeStampedModel):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="classes")
    year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="classes")
    label = models.CharField(_("label"), max_length=150)
    onde_id = models.CharField(_("ONDE class id"), max_length=40, blank=True)
    levels = models.JSONField(_("levels"), default=list, blank=True)
    is_ulis = models.BooleanField(_("ULIS"), default=False)
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="classes"
    )

    class Meta:
        ordering = ["school", "label"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "label"], name="uniq_class_label")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def municipality_id(self) -> int:
        return self.school.municipality_id

    @property
    def levels_display(self) -> str:
        ordered = sorted(
            self.levels, key=lambda lv: LEVEL_ORDER.index(lv) if lv in LEVEL_ORDER else 99
        )
        return "-".join(ordered) + (" ULIS" if self.is_ulis else "")


class Pupil(TimeStampedModel):
    class Sex(models.TextChoices):
        F = "F", _("girl")
        M = "M", _("boy")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils")
    ine = models.CharField(_("INE"), max_length=11, null=True, blank=True, unique=True)
    last_name = models.CharField(_("family name"), max_length=100)
    usage_name = models.CharField(_("usage name"), max_length=100, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    level = models.CharField(_("level"), max_length=3, choices=Level.choices, blank=True)
    consent_photo = models.BooleanField(_("photo consent"), default=False)
    consent_associations = models.BooleanField(_("consent to associations"), default=False)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pupil",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("pupil")
        indexes = [models.Index(fields=["school", "last_name", "first_name", "birth_date"])]

    def __str__(self) -> str:
        return f"{self.display_last_name} {self.first_name}"

    @property
    def display_last_name(self) -> str:
        return self.usage_name or self.last_name

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class Enrolment(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="enrolments")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, related_name="enrolments"
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("enrolment")
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"], condition=Q(ended_on__isnull=True), name="one_open_enrolment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pupil} → {self.school_class}"


class Guardian(TimeStampedModel):
    class Civility(models.TextChoices):
        M = "M.", "M."
        MME = "MME", "Mme"

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    civility = models.CharField(_("civility"), max_length=4, choices=Civility.choices, blank=True)
    last_name = models.CharField(_("family name"), max_length=100)
    usage_name = models.CharField(_("usage name"), max_length=100, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone_mobile = models.CharField(_("mobile phone"), max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guardian",
    )
    pupils: models.ManyToManyField[Pupil, GuardianLink] = models.ManyToManyField(
        Pupil, through="GuardianLink", related_name="guardians"
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("legal guardian")
        indexes = [models.Index(fields=["municipality", "last_name", "first_name"])]

    def __str__(self) -> str:
        name = self.usage_name or self.last_name
        return f"{self.get_civility_display()} {name} {self.first_name}".strip()


class GuardianLink(models.Model):
    """The legal link between a guardian and a pupil (responsable légal)."""

    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="links")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="guardian_links")
    source = models.CharField(max_length=10, default="onde")

    class Meta:
        verbose_name = _("legal link")
        constraints = [
            models.UniqueConstraint(fields=["guardian", "pupil"], name="uniq_guardian_link")
        ]

    def __str__(self) -> str:
        return f"{self.guardian} ↔ {self.pupil}"


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("city administrator")
    CITY_TECHNICIAN = "city_technician", _("city technician")
    PROGRAMME_OFFICER = "programme_officer", _("programme officer")
    ERUN = "erun", _("ERUN (digital referent)")
    DIRECTOR = "director", _("director")
    TEACHER = "teacher", _("teacher")


CITY_ROLES = {Role.CITY_ADMIN, Role.CITY_TECHNICIAN, Role.PROGRAMME_OFFICER}
SCHOOL_ROLES = {Role.ERUN, Role.DIRECTOR}


class Membership(TimeStampedModel):
    """A staff member's role and scope: municipality (city roles), school or class."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    school_class = models.ForeignKey(
        SchoolClass, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        verbose_name = _("membership")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "municipality", "school", "school_class"],
                name="uniq_membership",
            ),
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(
                        role__in=sorted(r.value for r in CITY_ROLES),
                        school__isnull=True,
                        school_class__isnull=True,
                    )
                    | Q(
                        role__in=sorted(r.value for r in SCHOOL_ROLES),
                        school__isnull=False,
                        school_class__isnull=True,
                    )
                    | Q(role=Role.TEACHER.value, school__isnull=False, school_class__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.school_class or self.school or self.municipality
        return f"{self.user} — {self.get_role_display()} — {scope}"


class OndeImport(models.Model):
    """One upload of ONDE exports, kept so that the preview and the apply read the same files.

    The files are stored in the row (``BinaryField``), not under ``MEDIA_ROOT``: they are
    small (a school's exports weigh well under 1 MB; uploads are capped by
    ``PREAU_MAX_IMPORT_BYTES``), they hold children's personal data that must never be
    reachable through a media URL, and one row is written, read and erased atomically
    with no orphan file. Once the import is applied, rejected or expired the files are
    erased and only the summary of counts and reasons remains.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("previewed")
        APPLIED = "applied", _("applied")
        REJECTED = "rejected", _("rejected")
        EXPIRED = "expired", _("expired")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="onde_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    pupils_filename = models.CharField(_("pupils file"), max_length=255, blank=True)
    pupils_file = models.BinaryField(default=b"")
    guardians_filename = models.CharField(_("guardians file"), max_length=255, blank=True)
    guardians_file = models.BinaryField(null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED
    )
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ONDE import")

    def __str__(self) -> str:
        return f"ONDE {self.school} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def municipality_id(self) -> int:
        return self.school.municipality_id
