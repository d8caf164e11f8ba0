"""The programme's indicators: computed from the records, completed by hand.

Each indicator has a code, a label and a unit. Its **computed** value comes from the
records — the rollout's done milestones, the directory, the paid invoices — with a
sentence saying where from; a **manual** value (``IndicatorValue``: value, target,
source, who typed it and when) can be typed for any indicator.

Which one is shown: the records win as soon as they say something. The manual value
is shown (and used in claims) only while the computed value is missing or zero — "no
record exists yet" — and both are always displayed side by side, so a gap between
them is visible. The target is the manual entry's, if any.

``indicator_rows(programme)`` is what the indicator page and the claim exports read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from preau.directory.models import Enrolment, School, SchoolClass
from preau.programme import money
from preau.programme.models import (
    IndicatorValue,
    InvoiceLine,
    Milestone,
    Programme,
    SiteMilestone,
)
from preau.programme.services import ProgrammeError, record, valid_decimal

DONE = SiteMilestone.Status.DONE


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str | Promise
    unit: str | Promise
    milestone: str = ""  # counted from this milestone's done rows
    count_sites: bool = False  # the number of sites, not the sum of quantities


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "sites_fibre",
        gettext_lazy("Sites connected to fibre (MAN)"),
        gettext_lazy("sites"),
        Milestone.FIBRE,
        count_sites=True,
    ),
    Indicator("outlets", gettext_lazy("Network outlets cabled"), gettext_lazy("outlets"),
              Milestone.CABLING),
    Indicator("switches", gettext_lazy("Managed switches installed"), gettext_lazy("switches"),
              Milestone.SWITCH),
    Indicator("wifi_aps", gettext_lazy("Wi-Fi access points installed"),
              gettext_lazy("access points"), Milestone.WIFI),
    Indicator("ups", gettext_lazy("UPS units installed"), gettext_lazy("units"), Milestone.UPS),
    Indicator("thin_clients", gettext_lazy("Thin clients delivered"), gettext_lazy("devices"),
              Milestone.THIN_CLIENTS),
    Indicator("teacher_laptops", gettext_lazy("Teacher laptops delivered"),
              gettext_lazy("devices"), Milestone.TEACHER_LAPTOPS),
    Indicator("displays", gettext_lazy("Interactive displays delivered"),
              gettext_lazy("devices"), Milestone.DISPLAYS),
    Indicator("tablets", gettext_lazy("Tablets delivered"), gettext_lazy("devices"),
              Milestone.TABLETS),
    Indicator("classes", gettext_lazy("Classes covered"), gettext_lazy("classes")),
    Indicator("pupils", gettext_lazy("Pupils covered (CO35: capacity of supported education "
                                     "facilities)"), gettext_lazy("persons")),
    Indicator("eligible_spent", gettext_lazy("Eligible expenditure paid"),
              gettext_lazy("€ excl. VAT")),
)  # fmt: skip
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}


@dataclass
class IndicatorRow:
    code: str
    label: str | Promise
    unit: str | Promise
    computed: Decimal | None  # from the records; None: the records cannot tell
    computed_source: str
    manual: IndicatorValue | None
    target: Decimal | None
    value: Decimal | None  # the one shown and declared
    source: str  # where the shown value comes from

    @property
    def uses_manual(self) -> bool:
        """The value typed by hand is the one shown (the records say nothing yet)."""
        return self.manual is not None and not self.computed

    @property
    def manual_source(self) -> str:
        return _manual_source(self.manual) if self.manual is not None else ""


def _count(value: int | Decimal) -> str:
    return number_format(value, 0, force_grouping=True)


def _euros(value: Decimal) -> str:
    return number_format(value, 2, force_grouping=True)


@dataclass
class _Facts:
    """What the records say, read in six queries."""

    milestones: dict[str, tuple[int, int, int]]  # kind → (done, quantity sum, no quantity)
    sites: int
    schools: int
    classes: int
    pupils: int
    eligible_paid: Decimal


def _facts(programme: Programme) -> _Facts:
    done = programme.site_milestones.filter(status=DONE)
    milestones = {
        row["kind"]: (row["n"], row["total"] or 0, row["missing"])
        for row in done.values("kind")
        .annotate(
            n=Count("pk"), total=Sum("quantity"), missing=Count("pk", filter=Q(quantity=None))
        )
        .order_by()
    }
    site_ids = list(done.order_by().values_list("site_id", flat=True).distinct())
    schools = School.objects.filter(site_id__in=site_ids)
    classes = SchoolClass.objects.filter(school__in=schools, year__is_current=True)
    pupils = (
        Enrolment.objects.filter(
            school_class__in=classes, ended_on__isnull=True, pupil__left_on__isnull=True
        )
        .values("pupil_id")
        .distinct()
    )
    start, end = programme.eligibility_start, programme.eligibility_end
    eligible = InvoiceLine.objects.filter(
        invoice__order__programme=programme,
        invoice__order__budget_line__eligible=True,
        invoice__invoice_date__range=(start, end),
        invoice__payment_date__range=(start, end),
    ).aggregate(ht=Sum("amount_ht"))
    return _Facts(
        milestones=milestones,
        sites=len(site_ids),
        schools=schools.count(),
        classes=classes.count(),
        pupils=pupils.count(),
        eligible_paid=money.to_money(eligible["ht"] or 0),
    )


def _milestone_value(indicator: Indicator, facts: _Facts) -> tuple[Decimal, str]:
    label = str(Milestone(indicator.milestone).label)
    done, quantity, missing = facts.milestones.get(indicator.milestone, (0, 0, 0))
    milestones = ngettext(
        "%(n)s milestone “%(label)s” done", "%(n)s milestones “%(label)s” done", done
    ) % {"n": _count(done), "label": label}
    if indicator.count_sites:
        return Decimal(done), _("%(milestones)s (rollout)") % {"milestones": milestones}
    source = _("sum of the quantities of %(milestones)s (rollout)") % {"milestones": milestones}
    if missing:
        source += " " + ngettext(
            "— %(n)s of them without a quantity", "— %(n)s of them without a quantity", missing
        ) % {"n": _count(missing)}
    return Decimal(quantity), source


def _directory_source(facts: _Facts) -> str:
    def counted(singular: str, plural: str, n: int) -> str:
        return ngettext(singular, plural, n) % {"n": _count(n)}

    return _(
        "from the directory: %(classes)s, %(pupils)s (this school year) in %(schools)s on "
        "%(sites)s with a milestone done"
    ) % {
        "classes": counted("%(n)s class", "%(n)s classes", facts.classes),
        "pupils": counted("%(n)s pupil", "%(n)s pupils", facts.pupils),
        "schools": counted("%(n)s school", "%(n)s schools", facts.schools),
        "sites": counted("%(n)s site", "%(n)s sites", facts.sites),
    }


COMPUTED: dict[str, Callable[[Indicator, _Facts], tuple[Decimal, str]]] = {
    "classes": lambda _i, f: (Decimal(f.classes), _directory_source(f)),
    "pupils": lambda _i, f: (Decimal(f.pupils), _directory_source(f)),
    "eligible_spent": lambda _i, f: (
        f.eligible_paid,
        _(
            "sum excl. VAT of the paid invoices on eligible budget lines, dated and paid "
            "within the eligibility window"
        ),
    ),
}


def _manual_source(manual: IndicatorValue) -> str:
    person = manual.updated_by
    who = (person.get_full_name() or person.get_username()) if person else _("someone")
    when = date_format(timezone.localtime(manual.updated_at), "SHORT_DATE_FORMAT")
    return _("typed by %(who)s on %(date)s: %(source)s") % {
        "who": who,
        "date": when,
        "source": manual.source,
    }


def indicator_rows(programme: Programme) -> list[IndicatorRow]:
    """Every indicator of ``programme``: computed, manual, target, the value shown and
    where it comes from (seven queries, whatever the records)."""
    facts = _facts(programme)
    manual = {
        v.code: v
        for v in IndicatorValue.objects.filter(programme=programme).select_related("updated_by")
    }
    rows = []
    for indicator in INDICATORS:
        compute = COMPUTED.get(indicator.code, _milestone_value)
        computed, computed_source = compute(indicator, facts)
        typed = manual.get(indicator.code)
        if typed is not None and not computed:
            value, source = typed.value, _manual_source(typed)
        else:
            value, source = computed, computed_source
        rows.append(
            IndicatorRow(
                code=indicator.code,
                label=indicator.label,
                unit=indicator.unit,
                computed=computed,
                computed_source=computed_source,
                manual=typed,
                target=typed.target if typed is not None else None,
                value=value,
                source=source,
            )
        )
    return rows


def _non_negative(value: Decimal | int | str | None, what: str) -> Decimal | None:
    if value is None or value == "":
        return None
    number = valid_decimal(value, what)
    if number < 0:
        raise ProgrammeError(_("%(what)s cannot be negative.") % {"what": what})
    if number != money.to_money(number):
        raise ProgrammeError(_("%(what)s has at most two decimals.") % {"what": what})
    return number


@transaction.atomic
def set_indicator_value(
    *,
    actor: Any,
    programme: Programme,
    code: str,
    value: Decimal | int | str,
    source: str,
    target: Decimal | int | str | None = None,
) -> IndicatorValue:
    """Type (or retype) an indicator's value by hand, with its target and its source."""
    if code not in BY_CODE:
        raise ProgrammeError(_("Unknown indicator."))
    number = _non_negative(value, _("The value"))
    if number is None:
        raise ProgrammeError(_("A value is required."))
    if not source.strip():
        raise ProgrammeError(_("Say where the value comes from (its source)."))
    indicator_value, created = IndicatorValue.objects.update_or_create(
        programme=programme,
        code=code,
        defaults={
            "value": number,
            "target": _non_negative(target, _("The target")),
            "source": source.strip()[:300],
            "updated_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    record(
        "programme.indicator_value_set",
        actor,
        programme,
        programme.municipality_id,
        code=code,
        value=str(indicator_value.value),
        target_value=(str(indicator_value.target) if indicator_value.target is not None else None),
        source=indicator_value.source,
        created=created,
    )
    return indicator_value


@transaction.atomic
def clear_indicator_value(*, actor: Any, programme: Programme, code: str) -> bool:
    """Remove the value typed by hand; the computed one stays. False if there was none."""
    deleted, _rows = IndicatorValue.objects.filter(programme=programme, code=code).delete()
    if deleted:
        record(
            "programme.indicator_value_cleared", actor, programme, programme.municipality_id,
            code=code,
        )  # fmt: skip
    return bool(deleted)
