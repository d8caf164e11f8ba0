"""The programme dashboard and detail pages with 10,000 invoices: queries and time.

Loads the Lorient demo world into a throwaway instance, then adds to its programme, in
bulk, 200 orders and 10,000 invoices (one line each, 90 % paid, dated over the works),
two submitted interim claims (one of them received) holding 5,000 of them and a draft
(beside the demo's own claims).
Measures, for the dashboard (``/programme/``), a programme's page (``/programme/<id>/``)
and the floor (``/healthz`` with the same session: the cost of the stack, the session
and the middleware): the queries one request makes, and the median server time of
``--runs`` requests through Django's test client. With ``--wrk``, also gunicorn
(2 sync workers) under wrk for ``--duration`` seconds on each page.

    python bench/programme_dashboard.py [--database-url URL] [--invoices 10000]
                                        [--runs 21] [--wrk] [--duration 10]

The database: ``--database-url``, else ``PREAU_DATABASE_URL`` if set (PostgreSQL: its
name must start with ``preau_bench``; it is dropped and created), else SQLite in a
temporary directory. Prints figures; never passes or fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from typing import Any

from _common import ROOT, Instance, free_port, machine, table, wait_for_port

ORDERS = 200
CLAIMED = 5000  # invoices in the two submitted claims
OFFICER = "programme"  # the demo's programme officer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("PREAU_DATABASE_URL"))
    parser.add_argument("--invoices", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--wrk", action="store_true", help="also gunicorn + wrk")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--slowest", action="store_true", help="print the detail's queries")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args)
        return
    if args.wrk and shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk).")
    instance = Instance(args.database_url)
    try:
        print(f"Programme dashboard, {args.invoices} invoices — {instance.engine}, {machine()}")
        instance.preau("migrate", "--noinput")
        instance.preau("createcachetable")
        instance.preau("collectstatic", "--noinput")
        instance.preau("demo")
        passed = [
            f"--invoices={args.invoices}",
            f"--runs={args.runs}",
            f"--duration={args.duration}",
            f"--connections={args.connections}",
            *(["--wrk"] if args.wrk else []),
            *(["--slowest"] if args.slowest else []),
        ]
        subprocess.run(
            [sys.executable, __file__, "--measure", *passed],
            env=instance.env,
            cwd=ROOT,
            check=True,
        )
    finally:
        instance.close()


def measure(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from preau.programme.models import Programme
    from preau.programme.seed import SEED_NAME

    programme = Programme.objects.get(name=SEED_NAME, municipality__insee_code="56121")
    started = time.perf_counter()
    load(programme, args.invoices)
    print(f"bulk load: {time.perf_counter() - started:.1f} s")
    session_key, client = officer_session()
    pages = [
        ("/programme/ (dashboard)", "/programme/"),
        (f"/programme/{programme.pk}/ (detail)", f"/programme/{programme.pk}/"),
        ("/healthz, same session (floor)", "/healthz"),
    ]
    rows: list[tuple[str, ...]] = [
        ("page", "queries", f"median ms ({args.runs} runs)", "min ms", "bytes")
    ]
    for label, path in pages:
        queries, times, size = timed(client, path, args.runs)
        rows.append((label, str(queries), f"{times[len(times) // 2]:.1f}", f"{times[0]:.1f}",
                     str(size)))  # fmt: skip
    print("Django test client, in-process (no HTTP):")
    print(table(rows))
    if args.slowest:
        slowest(client, pages[1][1])
    if args.wrk:
        under_load(session_key, pages, args)


def load(programme: Any, invoices: int) -> None:
    """Orders and invoices in bulk (not through the services: 10,000 audited writes would
    measure the loader), spread over the works; claims holding the first ones."""
    import datetime as dt
    from decimal import Decimal

    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from preau.programme.models import (
        BudgetLine,
        Claim,
        ClaimLine,
        Invoice,
        InvoiceLine,
        Order,
        OrderLine,
        Supplier,
    )

    per_order = max(invoices // ORDERS, 1)
    ht = Decimal("100.00")
    vat, ttc = Decimal("20.00"), Decimal("120.00")
    first, last = dt.date(2021, 9, 1), dt.date(2023, 12, 31)
    span = (last - first).days
    lines = list(BudgetLine.objects.filter(objective__axis__programme=programme))
    with transaction.atomic():
        supplier = Supplier.objects.create(
            municipality_id=programme.municipality_id, name="Fournisseur du banc"
        )
        orders = Order.objects.bulk_create(
            Order(
                programme=programme,
                supplier=supplier,
                budget_line=lines[i % len(lines)],
                number=f"BENCH-{i:04d}",
                order_date=first + dt.timedelta(days=span * i // (ORDERS * 2)),
            )
            for i in range(ORDERS)
        )
        OrderLine.objects.bulk_create(
            OrderLine(order=o, label="Banc", amount_ht=ht * per_order, vat_rate=Decimal("20.00"),
                      vat_amount=vat * per_order, amount_ttc=ttc * per_order)
            for o in orders
        )  # fmt: skip
        rows = []
        for n in range(invoices):
            order = orders[n % ORDERS]
            day = min(order.order_date + dt.timedelta(days=30 + (n // ORDERS) * 7), last)
            paid = n % 10 != 9
            rows.append(
                Invoice(order=order, supplier=supplier, number=f"B-{n:06d}", invoice_date=day,
                        payment_date=min(day + dt.timedelta(days=30), last) if paid else None,
                        mandate_number=f"M-{n:06d}" if paid else "")
            )  # fmt: skip
        created = Invoice.objects.bulk_create(rows, batch_size=1000)
        InvoiceLine.objects.bulk_create(
            (InvoiceLine(invoice=i, label="Banc", amount_ht=ht, vat_rate=Decimal("20.00"),
                         vat_amount=vat, amount_ttc=ttc) for i in created),
            batch_size=1000,
        )  # fmt: skip
        paid_invoices = [i for i in created if i.payment_date is not None][:CLAIMED]
        half = len(paid_invoices) // 2
        now = timezone.now()
        first_number = (programme.claims.aggregate(n=Max("number"))["n"] or 0) + 1
        for number, (chunk, status) in enumerate(
            ((paid_invoices[:half], "received"), (paid_invoices[half:], "submitted")),
            start=first_number,
        ):
            total_ht = ht * len(chunk)
            claim = Claim.objects.create(
                programme=programme, number=number, kind="interim", status=status,
                submitted_at=now, total_ht=total_ht, total_ttc=ttc * len(chunk),
                requested=total_ht * Decimal("0.6"),
                received_amount=total_ht * Decimal("0.6") if status == "received" else None,
                received_on=now.date() if status == "received" else None,
            )  # fmt: skip
            Invoice.objects.filter(pk__in=[i.pk for i in chunk]).update(claim=claim)
            ClaimLine.objects.bulk_create(
                (ClaimLine(claim=claim, invoice=i, position=p, heading="Banc",
                           supplier=supplier.name, invoice_number=i.number,
                           invoice_date=i.invoice_date, payment_date=i.payment_date or last,
                           amount_ht=ht, amount_ttc=ttc) for p, i in enumerate(chunk)),
                batch_size=1000,
            )  # fmt: skip
        Claim.objects.create(programme=programme, number=first_number + 2, title="Brouillon")


def officer_session() -> tuple[str, Any]:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client

    from preau.accounts.mfa import needs_mfa_setup
    from preau.accounts.models import User

    user = User.objects.get(username=OFFICER)
    if needs_mfa_setup(user):  # city roles hold a second factor
        TOTP.activate(user, generate_totp_secret())
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    assert session.session_key is not None
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = session.session_key
    return session.session_key, client


def timed(client: Any, path: str, runs: int) -> tuple[int, list[float], int]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm: templates, translations, the session's first save
    reset_queries()  # the log keeps 9,000 queries at most: room for this request's
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    count = len(queries)  # now: the log is emptied again at the next request
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}.")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return count, sorted(times), len(response.content)


def slowest(client: Any, path: str) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"])):
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:110]}")


def first_request(url: str, cookie: str) -> None:
    import urllib.request

    request = urllib.request.Request(url, headers={"Cookie": cookie})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"{url} answered {response.status}.")
    print(f"  {url}: {len(body)} bytes in {(time.perf_counter() - started) * 1000:.0f} ms")


def under_load(session_key: str, pages: list[tuple[str, str]], args: argparse.Namespace) -> None:
    from guardian_home import wrk

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "preau.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "2", "--no-control-socket", "--error-logfile", "-",
         "--log-level", "warning"],
        env=os.environ.copy(),
        cwd=ROOT,
    )  # fmt: skip
    try:
        wait_for_port(port)
        wrk_args = argparse.Namespace(
            threads=2, connections=args.connections, duration=args.duration
        )
        cookie = f"sessionid={session_key}"
        for _label, path in pages:  # warm each worker (imports, templates), and check
            for _ in range(4):
                first_request(f"http://127.0.0.1:{port}{path}", cookie)
        results = [wrk(f"http://127.0.0.1:{port}{path}", cookie, wrk_args) for _l, path in pages]
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"gunicorn 2 sync workers, wrk -t2 -c{args.connections} -d{args.duration}s "
        "on the same machine:"
    )
    print(
        table(
            [
                ("page", "req/s", "avg", "p50", "p99", "requests", "errors"),
                *(
                    (label, f"{r.requests_per_second:.1f}", r.latency_avg, r.latency_p50,
                     r.latency_p99, str(r.requests), r.errors)
                    for (label, _p), r in zip(pages, results, strict=True)
                ),
            ]
        )
    )  # fmt: skip


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
