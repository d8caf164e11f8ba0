"""A failure's sentence, in the reader's language, from its code and params.

Verdicts are computed in the worker, in the installation's language; pages describe
them again in the language of whoever reads them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _


def _names(values: Any) -> str:
    return ", ".join(str(v) for v in values or [])


def _percent(value: Any) -> str:
    whole = float(value).is_integer()
    return f"{number_format(value, decimal_pos=0 if whole else 1)} %"


def _disks(params: dict[str, Any]) -> str:
    parts = [
        _("%(disk)s has %(free)s free") % {"disk": disk, "free": _percent(free)}
        for disk, free in params.get("disks") or []
    ]
    return _("%(disks)s (minimum %(minimum)s)") % {
        "disks": "; ".join(parts),
        "minimum": _percent(params.get("minimum", 0)),
    }


def _date(value: Any) -> str:
    try:
        return date_format(dt.date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
    except ValueError:
        return str(value)


def describe(failure: dict[str, Any]) -> str:
    """The sentence for one stored failure; its stored ``detail`` if the code is unknown."""
    try:
        return _sentence(failure)
    except (KeyError, TypeError, ValueError):  # params of an older shape
        return str(failure.get("detail") or failure.get("code") or "")


def _sentence(failure: dict[str, Any]) -> str:
    params: dict[str, Any] = failure.get("params") or {}
    code = failure.get("code", "")
    if code == "unknown_os":
        return _("unknown: the agent reported no operating system")
    if code == "unknown_os_version":
        return _("unknown: no version reported for %(os)s") % {"os": params.get("os") or "?"}
    if code == "os_too_old":
        return _("%(os)s %(version)s is older than %(minimum)s") % params
    if code == "unknown_inventory":
        return _("unknown: never inventoried")
    if code == "inventory_too_old":
        return _("last inventory %(age)s days ago (limit: %(days)s days)") % params
    if code == "unknown_antivirus":
        return _("unknown: the agent reported neither antivirus nor software")
    if code == "antivirus_missing":
        if params.get("names"):
            return _("no antivirus found (looked for: %(names)s)") % {
                "names": _names(params["names"])
            }
        return _("no antivirus reported")
    if code == "antivirus_disabled":
        return _("%(name)s is disabled") % params
    if code == "antivirus_outdated":
        return _("%(name)s is not up to date") % params
    if code == "unknown_disk":
        return _("unknown: no disk reported")
    if code == "disk_low":
        return _disks(params)
    if code == "unknown_asset":
        return _("unknown: the device is linked to no asset")
    if code == "unknown_warranty":
        return _("unknown: the asset has no warranty end date")
    if code == "warranty_expired":
        return _("warranty ended on %(date)s") % {"date": _date(params.get("date"))}
    if code == "unknown_software":
        return _("unknown: the agent reported no software")
    if code == "software_missing":
        return _("missing: %(names)s") % {"names": _names(params.get("names"))}
    return str(failure.get("detail") or code)


def described(failures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each failure with its ``text`` in the reader's language, critical ones first."""
    ordered = sorted(
        failures or [], key=lambda f: (f.get("severity") != "critical", str(f.get("name", "")))
    )
    return [{**failure, "text": describe(failure)} for failure in ordered]
