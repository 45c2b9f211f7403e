"""Realistic data at NHS-trust scale for the benchmarks: `flask --app portal bench seed --scale S|M|L`.

S is 2,000 staff and 20,000 thank-yous; M (a large trust) 20,000 staff in 1,000 units over four levels, 500,000
thank-yous with their recipients, values, appreciations and comments, 100,000 bookings with 200 supporters'
weekly hours, and 20,000 practice notes; L is 100,000 staff and 2,000,000 thank-yous, the rest in proportion.

The distributions are the real ones' shape: a few people thank (and are thanked) very often and most rarely; most
teams are small and a few large; most thanks stay within a team; dates spread over three years, growing towards
now, on weekdays in working hours. Every constraint of the models holds (no one thanks or appreciates themselves,
supporters' active sessions never overlap, a booking's session is never over capacity, nobody holds more than
four future bookings, counters equal the rows they count), and every person can sign in with
``BENCH_PASSWORD`` (one argon2 hash, computed once and shared).

The organisation and recognition rows are made here, peer support and practice notes in bench/seed_support.py;
bench/loading.py writes them: COPY on PostgreSQL, executemany on SQLite (S at most).
"""

from __future__ import annotations

import random
import uuid
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from itertools import accumulate

from bench import words

BENCH_PASSWORD = "bench-password-14"  # noqa: S105 - every seeded person's password, published on purpose
EMAIL_DOMAIN = "bench.nhs.example"
YEARS = 3


@dataclass(frozen=True)
class Scale:
    name: str
    staff: int
    posts: int
    directorates: int
    services_per_directorate: int
    teams_per_service: int
    bookings: int
    supporters: int
    notes: int

    @property
    def units(self) -> int:
        services = self.directorates * self.services_per_directorate
        return 1 + self.directorates + services + services * self.teams_per_service


SCALES = {
    # A few seconds' worth, for the tests and for trying the command out.
    "XS": Scale("XS", staff=150, posts=900, directorates=2, services_per_directorate=2, teams_per_service=3,
                bookings=200, supporters=6, notes=40),
    "S": Scale("S", staff=2_000, posts=20_000, directorates=3, services_per_directorate=5, teams_per_service=6,
               bookings=4_000, supporters=60, notes=2_000),
    "M": Scale("M", staff=20_000, posts=500_000, directorates=9, services_per_directorate=10, teams_per_service=10,
               bookings=100_000, supporters=200, notes=20_000),
    "L": Scale("L", staff=100_000, posts=2_000_000, directorates=20, services_per_directorate=10,
               teams_per_service=12, bookings=400_000, supporters=1_000, notes=100_000),
}


@dataclass(frozen=True)
class Rule:
    """A weekly rule as portal.support.slots.weekly_slots reads it."""

    supporter_id: int
    kind: str
    weekday: int
    start_time: time
    end_time: time
    capacity: int


@dataclass
class Person:
    id: int
    unit_id: int
    team_index: int  # into Plan.teams, or -1 for people in a service or directorate


@dataclass
class Plan:
    """What the generators share: the units, the people and who does what."""

    scale: Scale
    now: datetime
    password_hash: str
    rng: random.Random
    value_ids: list[int]
    units: list[tuple[int, str, int | None, str]] = field(default_factory=list)  # id, name, parent, path
    teams: list[int] = field(default_factory=list)  # unit ids of the teams
    directorates: list[int] = field(default_factory=list)
    team_members: list[list[int]] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    champions: list[int] = field(default_factory=list)
    supporters: list[int] = field(default_factory=list)
    hr: list[int] = field(default_factory=list)


def person_email(person_id: int, first: str, last: str) -> str:
    local = "".join(c for c in f"{first}.{last}".lower() if c.isascii() and (c.isalnum() or c == "."))
    return f"{local}.{person_id}@{EMAIL_DOMAIN}"


def _zipf_cumulative(count: int, exponent: float) -> list[float]:
    return list(accumulate(1 / (rank ** exponent) for rank in range(1, count + 1)))


def _pick(rng: random.Random, cumulative: list[float], items: list[int]) -> int:
    return items[bisect_left(cumulative, rng.random() * cumulative[-1])]


def _moment(plan: Plan) -> datetime:
    """A time in the last three years, more of them recent (the portal's use grows), on a weekday, 08:00–19:00."""
    span = YEARS * 365
    days_ago = int(span * (1 - plan.rng.random() ** 0.7))
    day = (plan.now - timedelta(days=days_ago)).date()
    if day.weekday() >= 5 and plan.rng.random() < 0.8:
        day -= timedelta(days=day.weekday() - 4)
    moment = datetime.combine(day, time(8), tzinfo=UTC) + timedelta(seconds=plan.rng.randrange(11 * 3600))
    return min(moment, plan.now - timedelta(minutes=1))


def _after(moment: datetime, delta: timedelta, now: datetime) -> datetime:
    """``moment + delta``, but never in the future."""
    return min(moment + delta, now)


# --- the organisation ------------------------------------------------------------------------------------------

def build_units(plan: Plan) -> Iterator[tuple]:
    scale, next_id = plan.scale, 1
    plan.units.append((1, "Bench NHS Foundation Trust", None, "/1/"))
    for d in range(scale.directorates):
        next_id += 1
        name = words.DIRECTORATES[d % len(words.DIRECTORATES)] + (f" {d // 20 + 1}" if d >= 20 else "")
        directorate = (next_id, name, 1, f"/1/{next_id}/")
        plan.units.append(directorate)
        plan.directorates.append(next_id)
        for s in range(scale.services_per_directorate):
            next_id += 1
            service_name = f"{directorate[1]} {words.SERVICE_KINDS[s % 10]} {s // 10 + 1}"
            service = (next_id, service_name, directorate[0], f"{directorate[3]}{next_id}/")
            plan.units.append(service)
            for t in range(scale.teams_per_service):
                next_id += 1
                team_name = f"{words.TEAM_KINDS[t % 12]} team {t // 12 + 1}"
                plan.units.append((next_id, team_name, service[0], f"{service[3]}{next_id}/"))
                plan.teams.append(next_id)
    created = plan.now - timedelta(days=YEARS * 365 + 30)
    for unit_id, name, parent_id, path in plan.units:
        yield unit_id, name, parent_id, path, created


def build_people(plan: Plan) -> Iterator[tuple]:
    """Most people in teams (lognormal sizes: most small, a few large), 3 % in services and directorates; each
    team's first member is its lead, managed by someone above."""
    rng, scale = plan.rng, plan.scale
    managers = [u[0] for u in plan.units if u[0] not in set(plan.teams)]
    weights = list(accumulate(rng.lognormvariate(0, 0.9) for _ in plan.teams))
    plan.team_members = [[] for _ in plan.teams]
    created = plan.now - timedelta(days=YEARS * 365)
    above_lead: dict[int, int] = {}
    for person_id in range(1, scale.staff + 1):
        if person_id <= max(len(managers), scale.staff * 3 // 100):
            unit_id, team_index = managers[(person_id - 1) % len(managers)], -1
        else:
            team_index = bisect_left(weights, rng.random() * weights[-1])
            unit_id = plan.teams[team_index]
        plan.people.append(Person(person_id, unit_id, team_index))
        if team_index >= 0:
            plan.team_members[team_index].append(person_id)
        else:
            above_lead.setdefault(unit_id, person_id)
    parents = {u[0]: u[2] for u in plan.units}
    for person in plan.people:
        first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
        members = plan.team_members[person.team_index] if person.team_index >= 0 else []
        if members and members[0] != person.id:
            manager = members[0]
        else:
            manager = above_lead.get(parents.get(person.unit_id) or 0)
            manager = manager if manager != person.id else None
        title = "Team leader" if members and members[0] == person.id else rng.choice(words.JOB_TITLES)
        yield (person.id, person_email(person.id, first, last), f"{first} {last}", f"B{person.id:07d}", title,
               person.unit_id, manager, True, plan.password_hash, False, uuid.UUID(int=rng.getrandbits(128)).hex,
               created, created)


def build_roles(plan: Plan) -> Iterator[tuple]:
    rng, scale = plan.rng, plan.scale
    leads = [p.id for p in plan.people if p.team_index < 0]
    plan.champions = leads[:max(2, len(leads) // 3)]
    plan.hr = leads[len(plan.champions):len(plan.champions) + max(2, scale.staff // 2000)]
    taken = set(plan.champions) | set(plan.hr)
    plan.supporters = rng.sample([p.id for p in plan.people if p.id not in taken], scale.supporters)
    for person in plan.people:
        yield person.id, "staff"
    yield from ((pid, "champion") for pid in plan.champions)
    yield from ((pid, "hr") for pid in plan.hr)
    yield from ((pid, "supporter") for pid in plan.supporters)
    yield leads[-1], "admin"


# --- recognition -----------------------------------------------------------------------------------------------

POST_COLUMNS = ("id", "kind", "author_id", "author_unit_id", "title", "what_they_did", "difference", "learning",
                "visibility", "created_at", "withdrawn_at", "hidden_at", "hidden_by_id", "hidden_reason",
                "appreciation_count")
RECIPIENT_COLUMNS = ("id", "post_id", "user_id", "unit_id")
POST_VALUE_COLUMNS = ("post_id", "value_id")
APPRECIATION_COLUMNS = ("post_id", "user_id", "created_at")
COMMENT_COLUMNS = ("id", "post_id", "author_id", "body", "created_at")
REPORT_COLUMNS = ("id", "post_id", "reporter_id", "reason", "created_at", "resolved_at", "resolved_by_id", "outcome")
BATCH_POSTS = 50_000


class Recognition:
    """Thank-yous in batches (table name → rows), ids in order of creation time like the real ones."""

    def __init__(self, plan: Plan):
        self.plan = plan
        rng = plan.rng
        ids = [p.id for p in plan.people]
        self.authors = rng.sample(ids, len(ids))
        self.author_weights = _zipf_cumulative(len(ids), 0.6)
        self.popular = rng.sample(ids, len(ids))
        self.popular_weights = _zipf_cumulative(len(ids), 0.5)
        self.by_id = {p.id: p for p in plan.people}
        self.recipient_id = self.comment_id = 0
        self.open_posts: list[tuple[int, datetime]] = []  # live public posts (id, when), for reports

    def batches(self) -> Iterator[dict[str, list[tuple]]]:
        plan = self.plan
        moments = sorted(_moment(plan) for _ in range(plan.scale.posts))
        for start in range(0, plan.scale.posts, BATCH_POSTS):
            batch: dict[str, list[tuple]] = {"recognition_post": [], "recognition_recipient": [],
                                             "recognition_post_value": [], "recognition_appreciation": [],
                                             "recognition_comment": []}
            for offset, created in enumerate(moments[start:start + BATCH_POSTS]):
                self._post(start + offset + 1, created, batch)
            yield batch

    def _colleague(self, author: Person) -> int:
        """Someone to thank or to appreciate a thank-you: usually from the author's own team."""
        rng = self.plan.rng
        members = self.plan.team_members[author.team_index] if author.team_index >= 0 else []
        if len(members) > 1 and rng.random() < 0.65:
            return rng.choice(members)
        return _pick(rng, self.popular_weights, self.popular)

    def _post(self, post_id: int, created: datetime, batch: dict[str, list[tuple]]) -> None:
        plan, rng = self.plan, self.plan.rng
        is_award = rng.random() < 0.005 and plan.hr
        author = self.by_id[rng.choice(plan.hr) if is_award else _pick(rng, self.author_weights, self.authors)]
        roll = rng.random()
        visibility = "public" if is_award or roll < 0.82 else ("team" if roll < 0.93 else "private")
        count = 1 if rng.random() < 0.75 else (2 if rng.random() < 0.7 else rng.randint(3, 5))
        people: set[int] = set()
        for _ in range(count * 3):
            if len(people) == count:
                break
            candidate = self._colleague(author)
            if candidate != author.id:
                people.add(candidate)
        for person_id in sorted(people):
            self.recipient_id += 1
            unit_id = self.by_id[person_id].unit_id
            batch["recognition_recipient"].append((self.recipient_id, post_id, person_id, unit_id))
        if not people or rng.random() < 0.04:  # a whole team thanked
            self.recipient_id += 1
            team = author.unit_id if author.team_index >= 0 else rng.choice(plan.teams)
            batch["recognition_recipient"].append((self.recipient_id, post_id, None, team))
        withdrawn = created + timedelta(minutes=2) if rng.random() < 0.003 else None
        hidden = by = reason = None
        if visibility == "public" and not withdrawn and rng.random() < 0.002:
            hidden, by, reason = created + timedelta(days=1), rng.choice(plan.champions), "Named a patient."
        live = withdrawn is None and hidden is None
        appreciations = self._appreciations(post_id, author, created, visibility, live, batch)
        if visibility == "public" and live:
            self.open_posts.append((post_id, created))
            if rng.random() < 0.2:
                self._comments(post_id, author, created, batch)
        if not is_award:
            for value_id in rng.sample(plan.value_ids, rng.choice((1, 1, 2, 2, 3))):
                batch["recognition_post_value"].append((post_id, value_id))
        batch["recognition_post"].append((
            post_id, "award" if is_award else "thank_you", author.id, author.unit_id,
            "Award: Kindness" if is_award else None, rng.choice(words.WHAT_THEY_DID), rng.choice(words.DIFFERENCE),
            rng.choice(words.LEARNING) if not is_award and rng.random() < 0.125 else "", visibility, created,
            withdrawn, hidden, by, reason, appreciations))

    def _appreciations(self, post_id: int, author: Person, created: datetime, visibility: str, live: bool,
                       batch: dict[str, list[tuple]]) -> int:
        rng = self.plan.rng
        wanted = min(int(rng.paretovariate(1.6)) - 1, 60) if visibility == "public" else rng.choice((0, 0, 1))
        people: set[int] = set()
        for _ in range(wanted * 2 if live else 0):
            if len(people) == wanted:
                break
            candidate = self._colleague(author)
            if candidate != author.id:
                people.add(candidate)
        for person_id in people:
            when = _after(created, timedelta(hours=rng.random() * 48), self.plan.now)
            batch["recognition_appreciation"].append((post_id, person_id, when))
        return len(people)

    def _comments(self, post_id: int, author: Person, created: datetime, batch: dict[str, list[tuple]]) -> None:
        rng = self.plan.rng
        for n in range(rng.choice((1, 1, 2))):
            self.comment_id += 1
            batch["recognition_comment"].append((self.comment_id, post_id, self._colleague(author),
                                                 rng.choice(words.COMMENTS),
                                                 _after(created, timedelta(hours=1 + n), self.plan.now)))

    def reports(self) -> Iterator[tuple]:
        """Reports on live public posts: some still open (the moderators' queue), the rest kept up."""
        plan, rng = self.plan, self.plan.rng
        chosen = rng.sample(self.open_posts, min(len(self.open_posts), max(10, plan.scale.posts // 1000)))
        for report_id, (post_id, posted) in enumerate(chosen, start=1):
            is_open = report_id % 2 == 0
            reported = _after(posted, timedelta(hours=rng.randint(1, 24 * 20)), plan.now)
            yield (report_id, post_id, _pick(rng, self.popular_weights, self.popular),
                   rng.choice(words.REPORT_REASONS), reported,
                   None if is_open else _after(reported, timedelta(days=1), plan.now),
                   None if is_open else rng.choice(plan.champions), None if is_open else "kept")
