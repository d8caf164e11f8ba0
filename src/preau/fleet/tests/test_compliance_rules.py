"""The rules' pure evaluation, table-driven: every kind, version edge cases, missing data."""

from __future__ import annotations

import datetime as dt

import pytest

from preau.fleet.compliance.rules import Facts, evaluate, status_of
from preau.fleet.compliance.values import (
    RuleValueError,
    clean_value,
    compare_versions,
    parse_version,
)
from preau.fleet.compliance.wording import describe
from preau.fleet.models import ComplianceRule

TODAY = dt.date(2026, 11, 28)
K = ComplianceRule.Kind


def rule(kind: str, value: str = "", **extra) -> ComplianceRule:
    return ComplianceRule(pk=7, kind=kind, name=f"rule {kind}", value=value,
                          severity=extra.pop("severity", "warning"), **extra)  # fmt: skip


DISK = {"mount": "/", "filesystem": "ext4", "total_mb": 1000, "free_mb": 500}
DEBIAN = Facts(os_name="Debian GNU/Linux 12 (bookworm)", os_version="12.11")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", (12,)), ("12.7", (12, 7)), ("10.0.19045", (10, 0, 19045)),
     ("Debian 12.5", (12, 5)), ("Debian GNU/Linux 12 (bookworm)", (12,)),
     ("6.1.0-13-amd64", (6, 1, 0)), ("31 (Workstation Edition)", (31,)), ("v2.4", (2, 4)),
     ("22H2", None), ("", None), (None, None), ("bookworm", None),
     ("Microsoft Windows 11 Éducation", (11,)), ("10.0.19045 (22H2)", (10, 0, 19045))],
)  # fmt: skip
def test_parse_version(text, expected):
    assert parse_version(text) == expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [("12", "12.0", 0), ("12", "12.7", -1), ("12.10", "12.9", 1), ("10.0.19045", "10.0.22631", -1),
     ("10.0.22631", "10.0.19045", 1), ("Debian 12.5", "12.5", 0), ("11.9", "12", -1)],
)  # fmt: skip
def test_compare_versions(left, right, expected):
    a, b = parse_version(left), parse_version(right)
    assert a is not None
    assert b is not None
    assert compare_versions(a, b) == expected


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [(K.OS_VERSION, " 12.7 ", "12.7"), (K.OS_VERSION, "v10.0.19045", "10.0.19045"),
     (K.INVENTORY_AGE, "007", "7"), (K.FREE_DISK, "10", "10"), (K.FREE_DISK, "12,5 %", "12.5"),
     (K.FREE_DISK, "0", "0"), (K.FREE_DISK, "100", "100"),
     (K.ANTIVIRUS, "", ""),
     (K.ANTIVIRUS, " ClamAV,  Windows  Defender,clamav", "clamav, windows defender"),
     (K.SOFTWARE, "Firefox, LibreOffice", "firefox, libreoffice"), (K.WARRANTY, "ignored", "")],
)  # fmt: skip
def test_clean_value_accepts(kind, value, stored):
    assert clean_value(kind, value) == stored


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [(K.OS_VERSION, "Debian 12", "numbers separated by dots"), (K.OS_VERSION, "22H2", "dots"),
     (K.OS_VERSION, "", "dots"), (K.INVENTORY_AGE, "seven", "whole number"),
     (K.INVENTORY_AGE, "0", "between 1 and"), (K.INVENTORY_AGE, "7.5", "whole number"),
     (K.INVENTORY_AGE, "99999", "3650"), (K.FREE_DISK, "110", "between 0 and 100"),
     (K.FREE_DISK, "-5", "between 0 and 100"), (K.FREE_DISK, "ten", "percentage"),
     (K.FREE_DISK, "NaN", "percentage"), (K.SOFTWARE, " , ", "at least one"),
     (K.ANTIVIRUS, "x" * 61, "At most")],
)  # fmt: skip
def test_clean_value_refuses_with_a_reason(kind, value, message):
    with pytest.raises(RuleValueError, match=message):
        clean_value(kind, value)


def av(name: str, enabled=None, uptodate=None) -> Facts:
    return Facts(antivirus=[{"name": name, "enabled": enabled, "uptodate": uptodate}],
                 software_reported=True)  # fmt: skip


def sw(*names: str) -> Facts:
    return Facts(software=names, software_reported=True)


def disks(*changes: dict) -> Facts:
    return Facts(disks=[DISK, *({**DISK, **change} for change in changes)])


def seen(days_ago: int) -> Facts:
    return Facts(inventoried_on=TODAY - dt.timedelta(days=days_ago))


def system(name: str, version: str = "") -> Facts:
    return Facts(os_name=name, os_version=version)


WIN10, WIN11 = system("Windows 10 Pro", "10.0.19045"), system("Microsoft Windows 11", "10.0.22631")
EXPIRED = Facts(has_asset=True, warranty_end=TODAY - dt.timedelta(days=1))

# (rule, facts, expected failure code or None)
CASES = [
    # operating system
    (rule(K.OS_VERSION, "12"), DEBIAN, None),
    (rule(K.OS_VERSION, "12.11"), DEBIAN, None),
    (rule(K.OS_VERSION, "13"), DEBIAN, "os_too_old"),
    (rule(K.OS_VERSION, "12.7"), system("Debian GNU/Linux 12", "12"), "os_too_old"),
    (rule(K.OS_VERSION, "12"), system("Debian 12.5"), None),
    (rule(K.OS_VERSION, "10.0.22631"), WIN10, "os_too_old"),
    (rule(K.OS_VERSION, "10.0.19045", os_name="windows"), WIN11, None),
    (rule(K.OS_VERSION, "13", os_name="Windows"), DEBIAN, None),  # another system
    (rule(K.OS_VERSION, "12"), Facts(), "unknown_os"),
    (rule(K.OS_VERSION, "12", os_name="Debian"), Facts(), "unknown_os"),
    (rule(K.OS_VERSION, "12"), system("Debian bookworm", "22H2"), "unknown_os_version"),
    # inventory age
    (rule(K.INVENTORY_AGE, "7"), seen(0), None),
    (rule(K.INVENTORY_AGE, "7"), seen(7), None),
    (rule(K.INVENTORY_AGE, "7"), seen(8), "inventory_too_old"),
    (rule(K.INVENTORY_AGE, "7"), Facts(), "unknown_inventory"),
    # antivirus
    (rule(K.ANTIVIRUS), av("Windows Defender", True, True), None),
    (rule(K.ANTIVIRUS, "defender"), av("Windows Defender"), None),
    (rule(K.ANTIVIRUS, "defender"), av("Windows Defender", False), "antivirus_disabled"),
    (rule(K.ANTIVIRUS, "defender"), av("Windows Defender", True, False), "antivirus_outdated"),
    (rule(K.ANTIVIRUS, "eset"), av("Windows Defender"), "antivirus_missing"),
    (rule(K.ANTIVIRUS, "clamav, defender"), sw("ClamAV"), None),
    (rule(K.ANTIVIRUS, "clamav"), sw(), "antivirus_missing"),
    (rule(K.ANTIVIRUS), sw("clamav"), "antivirus_missing"),  # no names: the section only
    (rule(K.ANTIVIRUS, "clamav"), Facts(), "unknown_antivirus"),
    # free disk
    (rule(K.FREE_DISK, "10"), disks(), None),
    (rule(K.FREE_DISK, "10"), Facts(disks=[{**DISK, "free_mb": 50}]), "disk_low"),
    (rule(K.FREE_DISK, "10"), disks({"mount": "/home", "free_mb": 99}), "disk_low"),
    (rule(K.FREE_DISK, "10"), disks({"free_mb": 100}), None),  # exactly 10 %
    (rule(K.FREE_DISK, "10"), disks({"filesystem": "tmpfs", "free_mb": 0}), None),
    (rule(K.FREE_DISK, "10"), disks({"mount": "Network Drive", "free_mb": 0}), None),
    (rule(K.FREE_DISK, "10"), Facts(disks=[]), "unknown_disk"),
    (rule(K.FREE_DISK, "10"), Facts(disks=[{"total_mb": None, "free_mb": None}]), "unknown_disk"),
    (rule(K.FREE_DISK, "10"), Facts(disks=[{"total_mb": 0, "free_mb": 0}]), "unknown_disk"),
    # warranty
    (rule(K.WARRANTY), Facts(has_asset=True, warranty_end=TODAY), None),
    (rule(K.WARRANTY), EXPIRED, "warranty_expired"),
    (rule(K.WARRANTY), Facts(has_asset=True), "unknown_warranty"),
    (rule(K.WARRANTY), Facts(), "unknown_asset"),
    # software: every name must be there
    (rule(K.SOFTWARE, "firefox, libreoffice"), sw("Mozilla Firefox ESR", "LibreOffice"), None),
    (rule(K.SOFTWARE, "firefox, libreoffice"), sw("Mozilla Firefox ESR"), "software_missing"),
    (rule(K.SOFTWARE, "firefox"), Facts(), "unknown_software"),
]  # fmt: skip


@pytest.mark.parametrize(("the_rule", "facts", "code"), CASES)
def test_evaluate(the_rule, facts, code):
    failure = evaluate(the_rule, facts, TODAY)
    assert (failure.code if failure else None) == code
    if failure is not None:
        assert failure.rule == 7
        text = describe(failure.as_json(""))
        assert text
        assert text.startswith("unknown:") == code.startswith("unknown_")


def why(the_rule: ComplianceRule, facts: Facts) -> str:
    failure = evaluate(the_rule, facts, TODAY)
    assert failure is not None
    return describe(failure.as_json(""))


def test_details_say_why():
    low = Facts(disks=[{**DISK, "free_mb": 43}])
    assert why(rule(K.FREE_DISK, "10"), low) == "/ has 4.3 % free (minimum 10 %)"
    old = "Debian GNU/Linux 12 (bookworm) 12.11 is older than 13"
    assert why(rule(K.OS_VERSION, "13"), DEBIAN) == old
    late = "last inventory 9 days ago (limit: 7 days)"
    assert why(rule(K.INVENTORY_AGE, "7"), seen(9)) == late
    missing = "no antivirus found (looked for: clamav)"
    assert why(rule(K.ANTIVIRUS, "clamav"), sw()) == missing
    assert why(rule(K.WARRANTY), EXPIRED) == "warranty ended on 11/27/2026"
    # An older or unknown shape falls back to the stored sentence.
    assert describe({"code": "os_too_old", "params": {}, "detail": "kept"}) == "kept"
    assert describe({"code": "from the future", "detail": "as stored"}) == "as stored"


@pytest.mark.parametrize(
    ("the_rule", "facts"),
    [(rule(K.OS_VERSION, "99", enabled=False), DEBIAN),
     (rule(K.OS_VERSION, "99", asset_kinds=["laptop"]), DEBIAN),  # no asset: kind ""
     (rule(K.OS_VERSION, "99", asset_kinds=["laptop"]), Facts(kind="display", os_name="x 1")),
     (rule("retired-kind"), DEBIAN)],
)  # fmt: skip
def test_rules_that_do_not_apply(the_rule, facts):
    assert evaluate(the_rule, facts, TODAY) is None


def test_scoped_rule_applies_to_its_kinds():
    scoped = rule(K.OS_VERSION, "99", asset_kinds=["laptop", "desktop"])
    assert evaluate(scoped, Facts(kind="laptop", os_name="Debian 12"), TODAY) is not None


def test_status_is_the_worst_severity():
    warning = evaluate(rule(K.WARRANTY), Facts(), TODAY)
    critical = evaluate(rule(K.INVENTORY_AGE, "7", severity="critical"), Facts(), TODAY)
    assert warning is not None
    assert critical is not None
    assert status_of([]) == "ok"
    assert status_of([warning]) == "warning"
    assert status_of([warning, critical]) == "critical"
