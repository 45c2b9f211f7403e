"""What each benchmark scenario sends: real sign-ins for the session cookies and CSRF tokens, then one request a
line for bench/requests.lua (thread, method, path, cookie, CSRF token, body).

People are picked from the seeded database (bench/seed.py): ordinary staff for the wall, home, search, appreciating,
thanking and the slot browser; champions for the moderation queue; HR for the export; a pool of staff for booking
(each books at most four times per run, the portal's limit, and bench/run.py cancels the run's bookings after it).
"""

from __future__ import annotations

import http.client
import json
import random
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import select, text

from bench.seed import BENCH_PASSWORD

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SEARCH_WORDS = ("handover", "crisis team", "bereavement", "Patel", "interpreter", "complaint", "Kowalski",
                "discharge letter", "new starters", "warm")


@dataclass(frozen=True)
class Session:
    user_id: int
    cookie: str
    csrf: str


@dataclass
class Scenario:
    name: str
    label: str
    lines: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # method, path, cookie, csrf, body
    expect_header: str = ""  # a 2xx without it is a failure (htmx POSTs answer HX-Location when they succeed)
    server: str = "app"  # or "floor"
    cleanup: str = ""  # after each run: "bookings"

    def write(self, path: Path, threads: int) -> None:
        """Each line to a thread, in turn, keeping each person's lines in order."""
        lines = self.lines * threads if len(self.lines) < threads else self.lines
        with path.open("w") as out:
            for number, (method, target, cookie, csrf, body) in enumerate(lines):
                out.write(f"{number % threads + 1}\t{method}\t{target}\t{cookie}\t{csrf}\t{body or '-'}\n")


def _cookie(response: http.client.HTTPResponse, current: str) -> str:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("session="):
            return value.split(";", 1)[0]
    return current


def sign_in(port: int, email: str, user_id: int) -> Session:
    """A real sign-in through /login (its CSRF token and the argon2 check), then the CSRF token of the session."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", "/login")
        page = conn.getresponse()
        cookie = _cookie(page, "")
        token = CSRF.search(page.read().decode()).group(1)
        body = urlencode({"email": email, "password": BENCH_PASSWORD, "csrf_token": token})
        conn.request("POST", "/login", body=body, headers={"Cookie": cookie,
                                                           "Content-Type": "application/x-www-form-urlencoded"})
        answer = conn.getresponse()
        answer.read()
        if answer.status != 303:
            raise RuntimeError(f"signing in as {email} answered {answer.status}")
        cookie = _cookie(answer, cookie)
        conn.request("GET", "/", headers={"Cookie": cookie})
        home = conn.getresponse()
        cookie = _cookie(home, cookie)
        token = CSRF.search(home.read().decode()).group(1)
        return Session(user_id, cookie, token)
    finally:
        conn.close()


def sign_in_all(port: int, people: Iterable[tuple[int, str]]) -> list[Session]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda person: sign_in(port, person[1], person[0]), people))


def still_signed_in(port: int, session: Session) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", "/", headers={"Cookie": session.cookie})
        response = conn.getresponse()
        response.read()
        return response.status == 200
    finally:
        conn.close()


def signed_in(port: int, groups: dict[str, list[tuple[int, str]]], cache: Path) -> dict[str, list[Session]]:
    """Sessions for each group of people: from ``cache`` when its sessions still work (the same database and
    SECRET_KEY: each was a real sign-in), else by signing everyone in (argon2 makes that about 0.1–1 s each)."""
    if cache.exists():
        kept = {name: [Session(*row) for row in rows] for name, rows in json.loads(cache.read_text()).items()}
        wanted = {name: [p[0] for p in people] for name, people in groups.items()}
        if ({name: [s.user_id for s in sessions] for name, sessions in kept.items()} == wanted
                and all(still_signed_in(port, sessions[0]) for sessions in kept.values() if sessions)):
            return kept
    made = {name: sign_in_all(port, people) for name, people in groups.items()}
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({name: [[s.user_id, s.cookie, s.csrf] for s in sessions]
                                 for name, sessions in made.items()}))
    return made


@dataclass
class Cast:
    """The people and things the scenarios use, read from the seeded database."""

    staff: list[tuple[int, str]]
    champions: list[tuple[int, str]]
    hr: list[tuple[int, str]]
    bookers: list[tuple[int, str]]
    directorates: list[int]
    teams: list[int]
    posts: list[tuple[int, int]]  # (id, author id) of recent live public posts
    colleagues: list[int]
    value_id: int


def read_cast(conn, *, connections: int, bookers: int, rng: random.Random) -> Cast:
    def people(role: str, count: int, exclude: Iterable[int] = ()) -> list[tuple[int, str]]:
        """Active people with ``role`` and no other role, holding no future booking (so a booker has all four of
        the portal's places for the run)."""
        rows = conn.execute(text(
            "SELECT u.id, u.email FROM user_account u JOIN user_role r ON r.user_id = u.id AND r.role = :role "
            "WHERE u.is_active_account AND NOT EXISTS (SELECT 1 FROM user_role o WHERE o.user_id = u.id "
            "AND o.role IN ('supporter', 'admin', 'hr', 'champion') AND o.role <> :role) AND NOT EXISTS "
            "(SELECT 1 FROM support_booking b WHERE b.booker_id = u.id AND b.starts_at > now() "
            "AND b.status IN ('offered', 'requested', 'confirmed')) ORDER BY u.id"), {"role": role}).all()
        rows = [tuple(row) for row in rows if row[0] not in set(exclude)]
        return rng.sample(rows, min(count, len(rows)))

    staff = people("staff", connections)
    units = conn.execute(text("SELECT id, path FROM unit")).all()
    depth = {unit_id: path.count("/") - 2 for unit_id, path in units}
    posts = conn.execute(text(
        "SELECT id, author_id FROM recognition_post WHERE visibility = 'public' AND withdrawn_at IS NULL "
        "AND hidden_at IS NULL ORDER BY created_at DESC LIMIT 3000")).all()
    return Cast(
        staff=staff, champions=people("champion", connections), hr=people("hr", connections),
        bookers=people("staff", bookers, exclude=[s[0] for s in staff]),
        directorates=sorted(u for u, d in depth.items() if d == 1),
        teams=rng.sample(sorted(u for u, d in depth.items() if d == 3), min(60, sum(d == 3 for d in depth.values()))),
        posts=[tuple(p) for p in posts],
        colleagues=[row[0] for row in conn.execute(text(
            "SELECT id FROM user_account WHERE is_active_account ORDER BY id LIMIT 5000"))],
        value_id=conn.execute(text("SELECT min(id) FROM recognition_value WHERE NOT is_retired")).scalar())


def _get(sessions: list[Session], paths: list[str]) -> list[tuple]:
    """GETs of ``paths``, the sessions taking them in turn."""
    return [("GET", path, sessions[n % len(sessions)].cookie, sessions[n % len(sessions)].csrf, "")
            for n, path in enumerate(paths)]


def reading(cast: Cast, staff: list[Session], champions: list[Session], hr: list[Session],
            rng: random.Random) -> list[Scenario]:
    today = date.today()
    export = {"from": (today - timedelta(days=30)).isoformat(), "to": today.isoformat()}
    many = max(len(staff), 48)
    return [
        Scenario("wall", "Wall", _get(staff, ["/thanks"] * len(staff))),
        Scenario("wall_directorate", "Wall, one directorate",
                 _get(staff, [f"/thanks?unit={rng.choice(cast.directorates)}" for _ in range(many)])),
        Scenario("wall_team", "Wall, one team", _get(staff, [f"/thanks?unit={t}" for t in cast.teams])),
        Scenario("home", "Home", _get(staff, ["/"] * len(staff))),
        Scenario("slot_browser", "Slot browser (/support/book?all=1)",
                 _get(staff, ["/support/book?all=1"] * len(staff))),
        Scenario("search", "Search", _get(staff, [f"/search?{urlencode({'q': rng.choice(SEARCH_WORDS)})}"
                                                  for _ in range(many)])),
        Scenario("moderation_queue", "Moderation queue (/practice/review)",
                 _get(champions, ["/practice/review"] * len(champions))),
        Scenario("hr_export", "HR export (CSV, 30 days, one directorate)",
                 _get(hr, [f"/hr/exports/recognition.csv?{urlencode({**export, 'unit': rng.choice(cast.directorates)})}"
                           for _ in range(many)])),
    ]


def appreciating(cast: Cast, staff: list[Session], rng: random.Random) -> Scenario:
    """Each person appreciates 20 posts (not their own), then takes it back: the toggle both ways."""
    pairs = []
    for session in staff:
        mine = [p for p, author in rng.sample(cast.posts, min(40, len(cast.posts))) if author != session.user_id]
        pairs += [(session, post) for post in mine[:20]]
    lines = [("POST", f"/thanks/{post}/appreciate", s.cookie, s.csrf, f"appreciated={wanted}")
             for wanted in (1, 0) for s, post in pairs]
    return Scenario("appreciate", "Appreciate (htmx POST)", lines)


def thanking(cast: Cast, staff: list[Session], rng: random.Random) -> Scenario:
    lines = []
    for n in range(len(staff) * 4):
        session = staff[n % len(staff)]
        to = rng.choice([c for c in rng.sample(cast.colleagues, 3) if c != session.user_id])
        body = urlencode({"step": "send", "to": to, "what_they_did": "You stayed with a caller in crisis until "
                          "the crisis team arrived, then checked on me.", "difference": "The caller was safe.",
                          "values": cast.value_id, "visibility": "public", "learning": ""})
        lines.append(("POST", "/thanks/new", session.cookie, session.csrf, body))
    return Scenario("thank_you_send", "Say thank you (send)", lines, expect_header="HX-Location")


def open_slots(conn, now: datetime) -> list[tuple[int, str, str, str]]:
    """(supporter, kind, start, meeting mode) of every 1:1 or group slot open both now and in 30 minutes, through
    the portal's own query: so it is still offered when the booking scenario runs, at neither end of the window
    (the minimum notice moves past the first slots, and the booking horizon has not yet reached the last ones)."""
    from portal import create_app
    from portal.extensions import db
    from portal.support.models import SupporterProfile
    from portal.support.queries import open_slots as portal_open_slots

    app = create_app({"SQLALCHEMY_DATABASE_URI": conn.engine.url.render_as_string(hide_password=False)})
    with app.app_context():
        modes = {p.user_id: (p.meeting_modes or ["room"])[0] for p in db.session.scalars(select(SupporterProfile))}
        later = {(s.supporter_id, s.kind, s.starts_at) for s in portal_open_slots(now=now + timedelta(minutes=30))}
        found = [(s.supporter_id, str(s.kind), s.start_param, modes.get(s.supporter_id, "room"))
                 for s in portal_open_slots(now=now) if s.places_left > 0 and (s.supporter_id, s.kind, s.starts_at)
                 in later]
        db.session.remove()
    return found


def booking(bookers: list[Session], slots: list[tuple[int, str, str, str]], rng: random.Random) -> Scenario:
    """Each person in the pool books up to four different open slots (never their own)."""
    slots = rng.sample(slots, len(slots))
    lines = []
    for _ in range(4):  # the portal's limit of future bookings a person may hold
        for session in bookers:
            if not slots:
                break
            supporter, kind, start, mode = slots.pop()
            if supporter == session.user_id:
                continue
            body = urlencode({"supporter_id": supporter, "kind": kind, "start": start, "meeting_mode": mode,
                              "reason": ""}) + "&idempotency_key={{key}}"
            lines.append(("POST", "/support/book/confirm", session.cookie, session.csrf, body))
    return Scenario("book_slot", "Book a slot", lines, expect_header="HX-Location", cleanup="bookings")


CANCEL_BENCH_BOOKINGS = (
    "CREATE TEMPORARY TABLE bench_made ON COMMIT DROP AS SELECT id, session_id FROM support_booking "
    "WHERE idempotency_key LIKE 'bench-%' AND status IN ('offered', 'requested', 'confirmed')",
    "UPDATE support_session s SET booked_count = s.booked_count - m.n, is_active = s.booked_count - m.n > 0 "
    "FROM (SELECT session_id, count(*) AS n FROM bench_made GROUP BY session_id) m WHERE s.id = m.session_id",
    "UPDATE support_booking SET status = 'cancelled', cancel_reason = 'benchmark run', cancelled_by_id = booker_id, "
    "updated_at = now() WHERE id IN (SELECT id FROM bench_made)",
)


def cancel_bench_bookings(engine) -> int:
    """Give back the places and the people's quota the last run took (as each person cancelling would)."""
    with engine.begin() as conn:
        conn.execute(text(CANCEL_BENCH_BOOKINGS[0]))
        count = conn.execute(text("SELECT count(*) FROM bench_made")).scalar()
        for statement in CANCEL_BENCH_BOOKINGS[1:]:
            conn.execute(text(statement))
    return count


def now_utc() -> datetime:
    return datetime.now(UTC)
