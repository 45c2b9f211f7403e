"""The benchmark data's peer support (supporters, weekly hours, sessions and bookings) and practice notes.

Sessions sit on the slots the supporters' own weekly hours offer (portal.support.slots.weekly_slots), so a
supporter's active sessions never overlap (PostgreSQL's exclusion constraint checks it on load) and the slot
browser sees the future ones taken, as it would in use.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, time, timedelta

from bench import words
from bench.seed import YEARS, Plan, Rule, _moment
from portal.support.slots import weekly_slots

PROFILE_COLUMNS = ("user_id", "kinds", "about", "experience", "meeting_modes", "room", "phone", "video_link",
                   "mentee_capacity", "needs_confirmation", "slot_minutes", "buffer_minutes", "min_notice_hours",
                   "horizon_days", "is_accepting", "updated_at")
WEEKLY_COLUMNS = ("id", "supporter_id", "kind", "weekday", "start_time", "end_time", "capacity")
SESSION_COLUMNS = ("id", "supporter_id", "kind", "starts_at", "ends_at", "capacity", "booked_count", "is_active",
                   "created_at")
BOOKING_COLUMNS = ("id", "session_id", "supporter_id", "booker_id", "kind", "starts_at", "ends_at", "status",
                   "idempotency_key", "reason", "meeting_mode", "cancel_reason", "reflections", "session_notes",
                   "cancelled_by_id", "calendar_uid", "sequence", "created_at", "updated_at")
BOOKABLE = ("clinical_supervision", "group_supervision", "restorative_supervision")
WINDOWS = ((time(9), time(12)), (time(13), time(17)), (time(8), time(11)), (time(14), time(18)))
MAX_FUTURE_BOOKINGS = 4  # the SUPPORT_MAX_FUTURE_BOOKINGS default


class Support:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.rules: dict[int, list[Rule]] = {}
        self.profiles: dict[int, tuple] = {}
        self.sessions: list[tuple] = []
        self.bookings: list[tuple] = []

    def profile_rows(self) -> Iterator[tuple]:
        rng = self.plan.rng
        for supporter_id in self.plan.supporters:
            bookable = rng.sample(BOOKABLE, rng.choice((1, 1, 2)))
            kinds = [*bookable, *rng.sample(("mentoring", "debrief"), rng.choice((0, 1, 2)))]
            modes = rng.sample(("room", "phone", "video"), rng.choice((1, 2)))
            row = (supporter_id, kinds, words.SUPPORTER_ABOUT, "Complaints, bereavement, difficult calls", modes,
                   "Room 4, Education Centre" if "room" in modes else "", "0161 555 0100" if "phone" in modes else "",
                   "https://video.bench.nhs.example/room" if "video" in modes else "", 3, rng.random() < 0.2,
                   rng.choice((50, 50, 60)), 10, 12, 28, True, self.plan.now)
            self.profiles[supporter_id] = row
            rules = []
            for weekday in sorted(rng.sample(range(5), rng.randint(2, 4))):
                kind = rng.choice(bookable)
                start, end = rng.choice(WINDOWS)
                rules.append(Rule(supporter_id, kind, weekday, start, end, 6 if kind == "group_supervision" else 1))
            self.rules[supporter_id] = rules
            yield row

    def weekly_rows(self) -> Iterator[tuple]:
        rule_id = 0
        for rules in self.rules.values():
            for rule in rules:
                rule_id += 1
                yield rule_id, rule.supporter_id, rule.kind, rule.weekday, rule.start_time, rule.end_time, rule.capacity

    def _slots(self, supporter_id: int, start: datetime, end: datetime) -> list:
        profile = self.profiles[supporter_id]
        return [slot for rule in self.rules[supporter_id]
                for slot in weekly_slots(rule=rule, slot_minutes=profile[10], buffer_minutes=profile[11], start=start,
                                         end=end, days_off=set())]

    def build_bookings(self) -> None:
        """About ``scale.bookings`` bookings: most in the past (attended, a few no-shows and cancellations), and a
        fifth of the next four weeks' slots taken."""
        plan, rng = self.plan, self.plan.rng
        now, people = plan.now, [p.id for p in plan.people]
        per_supporter = plan.scale.bookings / len(plan.supporters)
        future_held: Counter[int] = Counter()
        for supporter_id in plan.supporters:
            past = self._slots(supporter_id, now - timedelta(days=YEARS * 365), now - timedelta(days=1))
            future = self._slots(supporter_id, now + timedelta(hours=13), now + timedelta(days=27))
            rng.shuffle(past)
            budget, chosen = per_supporter * rng.uniform(0.5, 1.5), rng.sample(future, len(future) // 5)
            for slot in past:  # a group session has 2–5 bookings, a 1:1 one
                if budget <= 0:
                    break
                chosen.append(slot)
                budget -= 3.5 if slot.capacity > 1 else 1
            for slot in sorted(chosen, key=lambda s: s.starts_at):
                self._session(slot, supporter_id, people, future_held)

    def _session(self, slot, supporter_id: int, people: list[int], future_held: Counter[int]) -> None:
        plan, rng = self.plan, self.plan.rng
        is_future = slot.starts_at > plan.now
        session_id = len(self.sessions) + 1
        profile = self.profiles[supporter_id]
        holding = 0
        for _ in range(rng.randint(2, 5) if slot.capacity > 1 else 1):
            booker = rng.choice(people)
            if booker == supporter_id or (is_future and future_held[booker] >= MAX_FUTURE_BOOKINGS):
                continue
            if is_future:
                status = "cancelled" if rng.random() < 0.1 else ("requested" if profile[9] else "confirmed")
            else:
                roll = rng.random()
                status = "attended" if roll < 0.75 else ("no_show" if roll < 0.82 else "cancelled")
            if status != "cancelled":
                holding += 1
                future_held[booker] += is_future
            booking_id = len(self.bookings) + 1
            made = slot.starts_at - timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600))
            made = min(made, plan.now - timedelta(minutes=5))
            self.bookings.append((
                booking_id, session_id, supporter_id, booker, slot.kind, slot.starts_at, slot.ends_at, status,
                uuid.UUID(int=rng.getrandbits(128)).hex, rng.choice(words.BOOKING_REASONS), rng.choice(profile[4]),
                "Clash with a shift" if status == "cancelled" else "", "", "",
                booker if status == "cancelled" else None, f"booking-{booking_id}@{plan.scale.name}.bench", 0,
                made, made))
        self.sessions.append((session_id, supporter_id, slot.kind, slot.starts_at, slot.ends_at, slot.capacity,
                              holding, holding > 0, plan.now - timedelta(days=YEARS * 365)))


# --- practice notes --------------------------------------------------------------------------------------------

NOTE_COLUMNS = ("id", "author_id", "unit_id", "state", "title", "summary", "body_source", "body_html", "situation",
                "what_we_did", "what_changed", "tips", "version", "personal_data", "created_at", "updated_at",
                "submitted_at", "published_at", "review_due_at", "decided_by_id", "decided_at", "decision_reason",
                "useful_count", "open_flag_count")
TAG_COLUMNS = ("note_id", "tag")
REVISION_COLUMNS = ("id", "note_id", "number", "editor_id", "title", "summary", "body_source", "situation",
                    "what_we_did", "what_changed", "tips", "tags_text", "created_at", "was_published")
NOTE_STATES = (("published", 0.84), ("pending", 0.04), ("changes_requested", 0.01), ("draft", 0.05),
               ("archived", 0.02), ("hidden", 0.01), ("rejected", 0.03))


def note_rows(plan: Plan, body_html: str) -> Iterator[dict[str, list[tuple]]]:
    """Practice notes, a third by champions, each with its tags and its first revision, in one batch."""
    rng = plan.rng
    units = {p.id: p.unit_id for p in plan.people}
    states = [state for state, _ in NOTE_STATES]
    weights = [weight for _, weight in NOTE_STATES]
    batch: dict[str, list[tuple]] = {"practice_note": [], "practice_note_tag": [], "practice_revision": []}
    for note_id in range(1, plan.scale.notes + 1):
        author = rng.choice(plan.champions) if rng.random() < 0.33 else rng.choice(plan.people).id
        state = rng.choices(states, weights)[0]
        created = _moment(plan)
        later = min(created + timedelta(days=2), plan.now)
        shown = state in ("published", "archived", "hidden")
        decided = state in ("published", "archived", "hidden", "rejected", "changes_requested")
        title = f"{rng.choice(words.NOTE_TITLES)} ({note_id})"
        tags = sorted(rng.sample(words.NOTE_TAGS, rng.randint(1, 3)))
        batch["practice_note"].append((
            note_id, author, units[author], state, title, words.NOTE_SUMMARY, words.NOTE_BODY, body_html,
            "Callers were passed between teams.", "We stayed on the line.", "Fewer repeat calls.", "Start small.",
            1, [], created, later, None if state == "draft" else created, later if shown else None,
            later + timedelta(days=365) if shown else None, rng.choice(plan.champions) if decided else None,
            later if decided else None, "Please name the service, not the person." if state in (
                "rejected", "changes_requested") else None, 0, 0))
        batch["practice_note_tag"].extend((note_id, tag) for tag in tags)
        batch["practice_revision"].append((
            note_id, note_id, 1, author, title, words.NOTE_SUMMARY, words.NOTE_BODY,
            "Callers were passed between teams.", "We stayed on the line.", "Fewer repeat calls.", "Start small.",
            ", ".join(tags), created, shown))
    yield batch
