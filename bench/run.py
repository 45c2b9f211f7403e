"""`make bench`: Frontline on gunicorn and PostgreSQL, driven by wrk with signed-in sessions, against the floor.

    .venv/bin/python -m bench.run --scales "S M" --reps 3 --duration 10

For each scale: a database of its own (BENCH_DATABASE_URL's name with ``_s``, ``_m``, ``_l`` added; made when
missing, migrated, seeded by `flask bench seed` unless it already holds that scale), gunicorn serving the portal
with the production settings and, beside it, the floor (bench/floor.py) with the same gunicorn settings. People
sign in through /login; wrk (bench/requests.lua) then drives each scenario at ``--connections`` connections, the
floor first, the scenarios after it, round after round (``--reps``), so every scenario meets the same noise. Any
non-2xx answer (or an htmx POST without its HX-Location) marks the scenario failed. Last, the wall's page weight.
Results go to bench/results/ (see bench/report.py). Absolute figures depend on the machine and what else runs on
it; the ratios to the floor, taken in the same round, are what to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import capacity, report, scenarios
from bench.weight import page_weight

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/frontline_bench"
GUNICORN = "--workers 2 --worker-class sync"


def database_url(base: str, scale: str) -> str:
    url = make_url(base)
    return url.set(database=f"{url.database}_{scale.lower()}").render_as_string(hide_password=False)


def prepare_database(url: str, scale: str, env: dict) -> str:
    """Create, migrate and seed the scale's database unless it already holds that scale; says what it did."""
    from bench.loading import seeded_scale

    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}).scalar()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    engine = create_engine(url)
    with engine.connect() as conn:
        held = seeded_scale(conn)
        people = conn.execute(text("SELECT count(*) FROM user_account")).scalar() if held is None and exists else 0
    engine.dispose()
    if held == scale:
        return f"database {parsed.database} already holds scale {scale}; not seeded again"
    if held is not None or people:
        raise SystemExit(f"{parsed.database} holds other data (scale {held!r}, {people} people); drop it first.")
    env = {**env, "DATABASE_URL": url, "PORTAL_ENV": "development"}
    subprocess.run([BIN / "flask", "--app", "portal", "db", "upgrade", "heads"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    subprocess.run([BIN / "flask", "--app", "portal", "bench", "seed", "--scale", scale], cwd=ROOT, env=env,
                   check=True)
    return f"migrated and seeded in {time.perf_counter() - started:.0f} s"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(app: str, port: int, env: dict, gunicorn: str, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen([BIN / "gunicorn", *shlex.split(gunicorn), "--bind", f"127.0.0.1:{port}",
                             "--error-logfile", str(log), app], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz" if app == "wsgi:app" else
                                        f"http://127.0.0.1:{port}/", timeout=5):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn for {app} stopped; see {log}") from None
            time.sleep(0.3)
    raise SystemExit(f"gunicorn for {app} did not answer in 90 s; see {log}")


def wrk(port: int, scenario: scenarios.Scenario, args, workdir: Path) -> dict:
    lines = workdir / f"{scenario.name}.tsv"
    scenario.write(lines, args.threads)
    out = subprocess.run(["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
                          "--timeout", "10s", "-s", str(ROOT / "bench" / "requests.lua"), f"http://127.0.0.1:{port}",
                          "--", str(lines), scenario.expect_header], capture_output=True, text=True, check=True,
                         errors="replace")  # a failed response's first bytes may be compressed
    found = [line for line in out.stdout.splitlines() if line.startswith("BENCH-JSON ")]
    if not found:
        raise SystemExit(f"wrk printed no result for {scenario.name}:\n{out.stdout}\n{out.stderr}")
    result = json.loads(found[-1].removeprefix("BENCH-JSON "))
    seconds = result["duration_us"] / 1e6
    exhausted = scenario.cleanup == "bookings" and result["requests"] > len(scenario.lines)
    if result["requests"] == 0:  # nothing answered within the run: no figures to believe
        result["failed"] += 1
        result["first_failure"] = f"no request completed in {args.duration} s {out.stderr[:200]}"
        result["duration_us"] = args.duration * 1e6
    if result["socket_errors"]:
        result["first_failure"] = (f"{result['socket_errors']} timeouts (over 10 s) or socket errors; "
                                   + result["first_failure"])
    return {"rps": result["requests"] / seconds, "requests": result["requests"],
            "server_errors": result["server_errors"], "acked": result["acked"].split(),
            "p50_ms": result["p50_us"] / 1000, "p95_ms": result["p95_us"] / 1000, "p99_ms": result["p99_us"] / 1000,
            "failed": result["failed"] + result["socket_errors"] + (1 if exhausted else 0),
            "first_failure": ("more requests than prepared bookings; " if exhausted else "") + result["first_failure"],
            "bytes": result["bytes"]}


def drain(port: int, path: str, *, quiet_seconds: float = 0.5, limit: float = 180) -> float:
    """Wait until the server answers ``path`` within ``quiet_seconds``: when wrk stops, the requests it had sent are
    still queued in gunicorn and would otherwise be served during the next scenario's run. Returns the wait."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        asked = time.monotonic()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=limit):
                pass
        except OSError:
            pass
        if time.monotonic() - asked < quiet_seconds:
            break
    return time.monotonic() - started


def run_scale(scale: str, args, env: dict, workdir: Path, detail: dict) -> list[dict]:
    url = database_url(args.database, scale)
    detail["seeding"][scale] = prepare_database(url, scale, env)
    print(f"== scale {scale}: {detail['seeding'][scale]}", flush=True)
    app_port, floor_port = free_port(), free_port()
    server_env = {**env, "PORTAL_ENV": "production", "DATABASE_URL": url, "SECRET_KEY": "bench-" + "k" * 40,
                  "PUBLIC_URL": f"http://127.0.0.1:{app_port}", "MAIL_FOLDER": str(workdir / "mail")}
    servers = [serve("wsgi:app", app_port, server_env, args.gunicorn, workdir / "app.log"),
               serve("bench.floor:app", floor_port, server_env, args.gunicorn, workdir / "floor.log")]
    engine = create_engine(url)
    try:
        rng = random.Random(14)
        with engine.connect() as conn:
            cast = scenarios.read_cast(conn, connections=args.connections, bookers=args.bookers, rng=rng)
            slots = scenarios.open_slots(conn, scenarios.now_utc())
        started = time.perf_counter()
        cache = report.RESULTS / f"sessions-{make_url(url).database}.json"
        sessions = scenarios.signed_in(app_port, {"staff": cast.staff, "champions": cast.champions, "hr": cast.hr,
                                                  "bookers": cast.bookers}, cache)
        staff, champions, hr, bookers = (sessions[name] for name in ("staff", "champions", "hr", "bookers"))
        print(f"   {sum(map(len, sessions.values()))} people signed in ({time.perf_counter() - started:.1f} s); "
              f"{len(slots)} open slots", flush=True)
        chosen = [scenarios.Scenario("floor", "The floor (constant string)", [("GET", "/", "", "", "")],
                                     server="floor"),
                  *scenarios.reading(cast, staff, champions, hr, rng), scenarios.appreciating(cast, staff, rng),
                  scenarios.booking(bookers, slots, rng), scenarios.thanking(cast, staff, rng)]
        if args.only:
            chosen = [s for s in chosen if s.name in {"floor", *args.only.split(",")}]
        runs = []
        for rep in range(1, args.reps + 1):
            for scenario in chosen:
                port = floor_port if scenario.server == "floor" else app_port
                if scenario.cleanup == "bookings":
                    # Also before: with two workers, drain() can find one idle while the other still finishes a
                    # booking the last run sent, which then commits after that run's clean-up; this run would book
                    # the same slot and be refused.
                    scenarios.cancel_bench_bookings(engine)
                result = wrk(port, scenario, args, workdir)
                result["drain_seconds"] = round(drain(port, "/" if scenario.server == "floor" else "/healthz"), 1)
                acked = result.pop("acked")
                run = {"scale": scale, "scenario": scenario.name, "label": scenario.label, "rep": rep, **result,
                       "acknowledged_writes": len(acked), "load_1m": os.getloadavg()[0],
                       "load_5m": os.getloadavg()[1]}
                runs.append(run)
                print(f"   {scale} rep {rep} {scenario.name:<18} {run['rps']:9.1f} req/s  p50 {run['p50_ms']:8.1f} ms"
                      f"  p99 {run['p99_ms']:8.1f} ms  load {run['load_1m']:5.1f}"
                      + (f"  FAILED {run['failed']}: {run['first_failure'][:80]}" if run["failed"] else ""),
                      flush=True)
                if scenario.cleanup == "bookings":
                    scenarios.cancel_bench_bookings(engine)
        detail["page_weight"][scale] = page_weight(app_port, staff[0].cookie)
        if args.capacity_max:
            detail["capacity"][scale] = capacity.measure(
                app_port, capacity.mix(cast, staff, bookers, slots, rng), args, workdir, engine, wrk,
                scenarios.cancel_bench_bookings, drain)
        return runs
    finally:
        engine.dispose()
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def ensure_wrk() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `apt-get install -y wrk` (make bench does it).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default=os.environ.get("SCALES", "S"), help='e.g. "S M"')
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--reps", type=int, default=int(os.environ.get("BENCH_REPS", 3)))
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", 10)), help="seconds")
    parser.add_argument("--connections", type=int, default=int(os.environ.get("BENCH_CONNECTIONS", 16)))
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    # A quiet machine books about 90 slots a second: 10 s needs about 900 bookings, four per person.
    parser.add_argument("--bookers", type=int, default=int(os.environ.get("BENCH_BOOKERS", 300)),
                        help="people signed in to book (each books at most four slots a run)")
    parser.add_argument("--gunicorn", default=os.environ.get("BENCH_GUNICORN", GUNICORN))
    parser.add_argument("--capacity-max", type=int, default=int(os.environ.get("BENCH_CAPACITY_MAX", 64)),
                        help="the most connections the capacity measurement tries (0: skip it)")
    parser.add_argument("--only", default=os.environ.get("BENCH_ONLY", ""), help="scenarios, comma-separated")
    args = parser.parse_args()
    ensure_wrk()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    detail = {"started_at": datetime.now(UTC).isoformat(timespec="seconds"), "cpus": os.cpu_count(),
              "settings": {"connections": args.connections, "reps": args.reps, "duration": args.duration,
                           "threads": args.threads, "gunicorn": args.gunicorn, "bookers": args.bookers},
              "seeding": {}, "page_weight": {}, "capacity": {}}
    runs = []
    with tempfile.TemporaryDirectory(prefix="frontline-bench-") as workdir:
        for scale in args.scales.split():
            started = time.perf_counter()
            runs += run_scale(scale.upper(), args, env, Path(workdir), detail)
            detail.setdefault("scale_seconds", {})[scale.upper()] = round(time.perf_counter() - started)
            print(f"== scale {scale.upper()} took {detail['scale_seconds'][scale.upper()]} s end to end", flush=True)
    detail["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    report.write(runs, detail)
    print((report.RESULTS / "latest.md").read_text())


if __name__ == "__main__":
    main()
