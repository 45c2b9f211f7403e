"""Demo good practice: notes from champions that read true, one waiting for review, one flagged, one featured to
the patient experience service, and a few follows. Made through the real services; idempotent; flushes only."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.practice.cascade import feature_note, follow
from portal.practice.models import FlagReason, Note
from portal.practice.moderation import approve_note
from portal.practice.reactions import add_comment, flag_note, set_useful
from portal.practice.services import NoteContent, create_note

WARM_HANDOVERS = """\
When someone comes to the PALS desk after a death, the worst thing we can do is hand them a phone number and send
them to another queue. They have usually told their story three times already.

**What we do now**

1. Ask if they would like to sit in the quiet room first. Offer a drink.
2. Ring the bereavement office *from the desk*, with the person there, and ask who is free.
3. Walk them over yourself. Introduce them by name and say what you already know, so they don't have to repeat it.
4. Make a note on the PALS record that you handed over, and to whom.

If the bereavement office is closed, book the first appointment for them before they leave and give them the name
of the officer they will see.
"""

SCRIPTS = """\
We went through the phrases in our call scripts with people who had called us and asked which ones made them feel
passed around. These are the ones we dropped, and what we say instead.

| We stopped saying | We say instead |
| --- | --- |
| "That's not my department." | "I'll find the right person and stay with you while I do." |
| "You'll need to call back." | "I'll call you back by 3pm today. Is this number best?" |
| "As I said before…" | "Let me check I've understood you." |
| "Calm down." | "I can hear this has been really hard." |

Nobody has to learn a new script: pick the two that fit how you talk and use them this week.
"""

CALLBACKS = """\
Customers told us the thing that made them angriest was waiting in for a callback that never came. We now give a
time window we can keep, write it in the shared callback diary, and the team leader checks the diary at 2pm.
"""

INTERPRETERS = """\
For customers who need an interpreter, set up the three-way call *before* the appointment time, so the customer is
not left on hold while we connect. Book the interpreter line the day before through the usual form.
"""


def _content(title: str, summary: str, body: str, unit_id: int, tags: list[str], **prompts) -> NoteContent:
    return NoteContent(title=title, summary=summary, body_source=body, unit_id=unit_id, tags=tags, **prompts)


def load_demo(people: dict[str, User]) -> None:
    """``people`` maps email → User. Does nothing when there are notes already."""
    if db.session.scalar(select(Note.id).limit(1)) is not None:
        return
    by_key = {email.split("@")[0]: user for email, user in people.items()}
    needed = ("aisha.rahman", "imran.akhtar", "priya.shah", "kirsty.armstrong", "fatima.begum", "tom.brennan",
              "megan.lloyd", "dylan.fenwick", "grace.nwosu", "claire.bennett")
    if any(key not in by_key for key in needed):
        return
    now = utcnow()
    aisha, imran, fatima = by_key["aisha.rahman"], by_key["imran.akhtar"], by_key["fatima.begum"]
    warm = create_note(author=aisha, submit=True, now=now - timedelta(days=40), content=_content(
        "Warm handovers to the bereavement office",
        "Walk bereaved relatives over to the bereavement office yourself instead of giving them a number.",
        WARM_HANDOVERS, aisha.unit_id, ["bereavement", "handover", "not passed around"],
        situation="Relatives came to PALS after a death and were sent on to the bereavement office by phone.",
        what_changed="Fewer repeat visits, and two written compliments in the first month."))
    scripts = create_note(author=imran, submit=True, now=now - timedelta(days=20), content=_content(
        "Scripts we stopped using and what we say instead",
        "Four phrases that made callers feel passed around, and the words we use now.",
        SCRIPTS, imran.unit_id, ["calls", "scripts", "de-escalation"],
        tips="Try two of the new phrases for a week and tell your team leader how it went."))
    create_note(author=by_key["priya.shah"], submit=True, now=now - timedelta(days=2), content=_content(
        "Calling back when we said we would", "A callback diary the team leader checks at 2pm.",
        CALLBACKS, by_key["priya.shah"].unit_id, ["calls", "callbacks"]))
    interpreters = create_note(author=by_key["kirsty.armstrong"], submit=True, now=now - timedelta(days=60),
                               content=_content("Setting up interpreter calls before the appointment",
                                                "Connect the interpreter first, so nobody waits on hold.",
                                                INTERPRETERS, by_key["kirsty.armstrong"].unit_id,
                                                ["interpreters", "appointments"]))
    approve_note(note=interpreters, actor=imran, now=now - timedelta(days=59))
    flag_note(note=interpreters, reporter=by_key["grace.nwosu"], reason=FlagReason.OUT_OF_DATE,
              detail="The interpreter booking form changed in the spring; the link people use now is different.")
    for key in ("tom.brennan", "megan.lloyd", "claire.bennett", "priya.shah"):
        set_useful(note=warm, user=by_key[key], useful=True)
    for key in ("dylan.fenwick", "grace.nwosu", "kirsty.armstrong"):
        set_useful(note=scripts, user=by_key[key], useful=True)
    add_comment(note=warm, author=by_key["tom.brennan"],
                body="We started doing this on the South desk too. The bereavement office said it helps them as well.")
    feature_note(note=warm, actor=fatima, unit=fatima.unit, until=(now + timedelta(days=30)).date())
    follow(user=by_key["priya.shah"], tag="bereavement")
    follow(user=by_key["dylan.fenwick"], tag="calls")
    db.session.flush()
