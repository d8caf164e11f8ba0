"""Which pupil each child named on a guardian row is.

ONDE gives no identifier linking a guardian to a pupil, so a child is matched on family
name (or usage name), first name and class label, plus date of birth when the export
carries it, against the pupils file of the same school. Zero or several candidates are
reported with the reason, never guessed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from preau.directory.onde.errors import LineIssue
from preau.directory.onde.guardians import ChildRef, GuardianRecord
from preau.directory.onde.pupils import PupilRecord
from preau.directory.onde.values import fold


@dataclass(frozen=True)
class Match:
    guardian: GuardianRecord
    pupil: PupilRecord


class PupilIndex:
    def __init__(self, pupils: list[PupilRecord]) -> None:
        self.by_name: dict[tuple[str, str], list[PupilRecord]] = defaultdict(list)
        for pupil in pupils:
            names = {fold(pupil.last_name), fold(pupil.usage_name)} - {""}
            for family in names:
                self.by_name[(family, fold(pupil.first_name))].append(pupil)

    def candidates(self, child: ChildRef) -> list[PupilRecord]:
        found: list[PupilRecord] = []
        for family in [fold(child.last_name), fold(child.usage_name)]:
            for pupil in self.by_name.get((family, fold(child.first_name)), []):
                if pupil not in found:
                    found.append(pupil)
        return found


def match_children(
    guardians: list[GuardianRecord], pupils: list[PupilRecord], file: str = "guardians"
) -> tuple[list[Match], list[LineIssue]]:
    index = PupilIndex(pupils)
    matches: list[Match] = []
    issues: list[LineIssue] = []
    for guardian in guardians:
        for child in guardian.children:
            pupil, reason = _match(index, child)
            if pupil is not None:
                matches.append(Match(guardian, pupil))
            else:
                issues.append(LineIssue(file, child.line, "", reason))
    return matches, issues


def _match(index: PupilIndex, child: ChildRef) -> tuple[PupilRecord | None, str]:
    named = index.candidates(child)
    in_class = [p for p in named if fold(p.class_label) == fold(child.class_label)]
    if child.birth_date is not None:
        in_class = [p for p in in_class if p.birth_date == child.birth_date]
    if len(in_class) == 1:
        return in_class[0], ""
    if len(in_class) > 1:
        lines = ", ".join(str(p.line) for p in in_class)
        return None, _(
            "homonyms: %(child)s matches several pupils (pupils file lines %(lines)s); "
            "add the date of birth to the export to tell them apart"
        ) % {"child": child.display, "lines": lines}
    if not named:
        return None, _("child %(child)s is not in the pupils file") % {"child": child.display}
    elsewhere = sorted({p.class_label for p in named})
    if child.birth_date is not None and any(
        fold(p.class_label) == fold(child.class_label) for p in named
    ):
        return None, _("child %(child)s: no pupil of that name was born on %(date)s") % {
            "child": child.display,
            "date": child.birth_date.strftime("%d/%m/%Y"),
        }
    return None, _(
        "child %(child)s is not in that class in the pupils file (found in: %(classes)s)"
    ) % {"child": child.display, "classes": ", ".join(elsewhere)}
