"""Capacity: how many signed-in people doing a realistic mix the default production set-up serves at p95 ≤ 500 ms
with no 5xx, and proof afterwards that every write it acknowledged is in the database.

The mix, per ten requests: four reads of the wall, one of a team's wall, one search, two appreciations, one
thank-you sent and one booking. Concurrency rises (1, 2, 4, 8, … connections, a wrk run of ``--duration`` seconds
each) until p95 passes 500 ms, a request fails or a 5xx comes back; the capacity is the last level that held. After
every level, each thank-you and booking whose HX-Location came back with a 2xx is looked up: a missing one is a lost
write, and fails the whole measurement.
"""

from __future__ import annotations

import random
import re

from sqlalchemy import bindparam, text

from bench.scenarios import Cast, Scenario, Session, appreciating, booking, thanking

P95_LIMIT_MS = 500
WRITE = re.compile(r"^/(thanks|support/bookings)/(\d+)$")


def mix(cast: Cast, staff: list[Session], bookers: list[Session], slots: list, rng: random.Random) -> Scenario:
    reads = [("GET", "/thanks", s.cookie, s.csrf, "") for s in staff]
    teams = [("GET", f"/thanks?unit={rng.choice(cast.teams)}", s.cookie, s.csrf, "") for s in staff]
    searches = [("GET", "/search?q=handover", s.cookie, s.csrf, "") for s in staff]
    appreciations = [line for line in appreciating(cast, staff, rng).lines if line[4] == "appreciated=1"]
    thanks = thanking(cast, staff, rng).lines
    books = booking(bookers, slots, rng).lines
    lines = []
    for n in range(max(len(books), 40)):
        lines += [reads[n % len(reads)], reads[(n + 1) % len(reads)], reads[(n + 2) % len(reads)],
                  reads[(n + 3) % len(reads)], teams[n % len(teams)], searches[n % len(searches)],
                  appreciations[(2 * n) % len(appreciations)], appreciations[(2 * n + 1) % len(appreciations)],
                  thanks[n % len(thanks)]]
        if n < len(books):
            lines.append(books[n])
    return Scenario("capacity_mix", "Realistic mix", lines, cleanup="bookings")


def lost_writes(engine, acknowledged: list[str]) -> list[str]:
    """The acknowledged thank-yous and bookings that are not in the database."""
    wanted = {"thanks": set(), "support/bookings": set()}
    for location in acknowledged:
        match = WRITE.match(location)
        if match:
            wanted[match.group(1)].add(int(match.group(2)))
    def found(table: str, ids: set[int]) -> set[int]:
        stmt = text(f"SELECT id FROM {table} WHERE id IN :ids").bindparams(  # noqa: S608 - our table names
            bindparam("ids", expanding=True))
        return {row[0] for row in conn.execute(stmt, {"ids": sorted(ids)})}

    with engine.connect() as conn:
        posts = found("recognition_post", wanted["thanks"])
        bookings = found("support_booking", wanted["support/bookings"])
    return ([f"/thanks/{i}" for i in sorted(wanted["thanks"] - posts)]
            + [f"/support/bookings/{i}" for i in sorted(wanted["support/bookings"] - bookings)])


def measure(port: int, scenario: Scenario, args, workdir, engine, run_wrk, cancel, drain) -> dict:
    """Rising concurrency until a level breaks; ``run_wrk(port, scenario, args, workdir)`` runs one level,
    ``drain(port, path)`` waits until what it left queued is served."""
    levels, capacity, lost = [], 0, []
    connections = 1
    while connections <= args.capacity_max:
        level_args = type(args)(**{**vars(args), "connections": connections, "threads": min(2, connections)})
        result = run_wrk(port, scenario, level_args, workdir)
        drain(port, "/healthz")
        missing = lost_writes(engine, result["acked"])
        cancel(engine)
        lost += missing
        held = result["p95_ms"] <= P95_LIMIT_MS and not result["failed"] and not result["server_errors"]
        levels.append({"connections": connections, "rps": round(result["rps"], 1), "p50_ms": result["p50_ms"],
                       "p95_ms": result["p95_ms"], "p99_ms": result["p99_ms"], "failed": result["failed"],
                       "server_errors": result["server_errors"], "acknowledged_writes": len(result["acked"]),
                       "lost_writes": len(missing), "held": held, "first_failure": result["first_failure"]})
        print(f"   capacity {connections:>3} connections: {result['rps']:7.1f} req/s  p95 {result['p95_ms']:8.1f} ms"
              f"  5xx {result['server_errors']}  acknowledged writes {len(result['acked'])}, lost {len(missing)}",
              flush=True)
        if not held:
            break
        capacity = connections
        connections *= 2
    return {"capacity_connections": capacity, "p95_limit_ms": P95_LIMIT_MS, "levels": levels,
            "lost_writes": lost, "every_acknowledged_write_stored": not lost}
