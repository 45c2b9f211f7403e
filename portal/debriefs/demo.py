"""Demo de-brief data: the duty rota, HR's signposting text (EAP details marked as an example), and a few requests
at different stages, spread over recent weeks. Idempotent; flushes, the caller commits."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.db import utcnow
from portal.debriefs.models import ContactMethod, DebriefRequest, DebriefSettings, DutySupporter, UnitLead, Urgency
from portal.debriefs.services import claim_request, close_request, create_request, record_check_in, record_held
from portal.extensions import db
from portal.org.queries import unit_labels

SIGNPOSTING = """\
**Call 999** if anyone's life is at risk or they are in immediate danger.

If a caller has told you they may harm themselves, follow the call-handling procedure and tell your team leader
now. Samaritans are there any time on **116 123**.

**Employee Assistance Programme** (example details for the demo): free, confidential counselling 24 hours a day
on **0800 000 0000**, or online at [eap.example](https://eap.example).

Staff Psychology and Wellbeing run drop-in sessions every Wednesday, and your line manager can refer you to
Occupational Health.
"""

# Everyone on the rota offers de-briefs in their supporter profile (portal.support.demo), as the rota page requires.
ROTA = [  # supporter key, unit path (full name as in portal.demo.people.UNITS)
    ("nadia.kowalski", "Northfield Teaching Hospitals NHS Foundation Trust"),
    ("kwame.mensah", "Northfield Teaching Hospitals NHS Foundation Trust/Patient Experience/PALS"),
    # The demo's headline supporter (README, sign-in page) is on duty too, so his queue has a request to claim.
    ("daniel.hughes", "Northfield Teaching Hospitals NHS Foundation Trust/Patient Experience/PALS"),
    ("rachel.adeyemi", "Northfield Teaching Hospitals NHS Foundation Trust/Patient Experience/PALS/South team"),
    ("michelle.charlton", "Jobcentre Plus/Tyne and Wear district/Newcastle Central office"),
    ("jamal.edwards", "Jobcentre Plus/Tyne and Wear district/Gateshead Riverside office"),
]
LEADS = [
    ("claire.bennett", "Northfield Teaching Hospitals NHS Foundation Trust/Patient Experience/PALS/North team"),
    ("mark.davies", "Northfield Teaching Hospitals NHS Foundation Trust/Patient Experience/PALS"),
    ("paul.heron", "Jobcentre Plus/Tyne and Wear district/Newcastle Central office"),
]


def _unit_ids() -> dict[str, int]:
    """Unit path ("Trust/PALS/North team") → id, from the full names the org tree already gives."""
    return {label.replace(" / ", "/"): unit_id for unit_id, label in unit_labels().items()}


def load_demo(people: dict[str, User]) -> None:
    """``people`` maps email → User (as portal.demo builds it). Does nothing when de-brief data exists."""
    if db.session.get(DebriefSettings, 1) is not None or db.session.scalar(select(DebriefRequest.id).limit(1)):
        return
    by_key = {email.split("@")[0]: user for email, user in people.items()}
    db.session.add(DebriefSettings(id=1, signposting=SIGNPOSTING, claim_minutes_this_shift=60,
                                   claim_minutes_72_hours=8 * 60, claim_minutes_this_week=24 * 60, retention_days=365,
                                   fallback_contact_id=getattr(by_key.get("nadia.kowalski"), "id", None)))
    units = _unit_ids()
    for key, path in ROTA:
        unit_id = units.get(path)
        if key in by_key and unit_id is not None:
            db.session.add(DutySupporter(unit_id=unit_id, user_id=by_key[key].id))
    for key, path in LEADS:
        unit_id = units.get(path)
        if key in by_key and unit_id is not None:
            db.session.add(UnitLead(unit_id=unit_id, user_id=by_key[key].id))
    db.session.flush()
    _requests(by_key)


def _requests(by_key: dict[str, User]) -> None:
    now = utcnow()
    needed = {"priya.shah", "kwame.mensah", "siobhan.oneill", "rachel.adeyemi", "grace.nwosu",
              "michelle.charlton", "tom.brennan"}
    if not needed <= by_key.keys():
        return
    closed = create_request(
        requester=by_key["priya.shah"], urgency=Urgency.THIS_SHIFT, kind="suicide_or_self_harm",
        note="A man rang about his wife's discharge and said he would not be here by the weekend. I kept him on "
             "the line until the crisis team called back. I keep hearing his voice.",
        contact_method=ContactMethod.PHONE, contact_detail="Extension 4417 until 5pm", now=now - timedelta(days=58))
    claim_request(request=closed, supporter=by_key["kwame.mensah"], now=now - timedelta(days=58, minutes=-25))
    record_held(request=closed, supporter=by_key["kwame.mensah"], now=now - timedelta(days=57),
                session_note="Forty minutes in the quiet room. Priya did everything right; agreed she would talk to "
                             "Claire about a lighter afternoon.")
    record_check_in(request=closed, supporter=by_key["kwame.mensah"], now=now - timedelta(days=54))
    close_request(request=closed, supporter=by_key["kwame.mensah"], now=now - timedelta(days=27))

    following = create_request(
        requester=by_key["grace.nwosu"], urgency=Urgency.WITHIN_72_HOURS, kind="abuse_or_threat",
        note="A customer said he knew where I park and would be waiting.", contact_method=ContactMethod.IN_PERSON,
        contact_detail="Desk 12, first floor", now=now - timedelta(days=20))
    claim_request(request=following, supporter=by_key["michelle.charlton"], now=now - timedelta(days=20, hours=-2))
    record_held(request=following, supporter=by_key["michelle.charlton"], now=now - timedelta(days=19),
                session_note="Security informed; Grace is leaving with a colleague this week.")
    record_check_in(request=following, supporter=by_key["michelle.charlton"], now=now - timedelta(days=16))

    claimed = create_request(
        requester=by_key["siobhan.oneill"], urgency=Urgency.THIS_WEEK, kind="bereavement",
        note="Third call this week from families after a death on the same ward.",
        contact_method=ContactMethod.TEAMS, contact_detail="Siobhan O'Neill on Teams", now=now - timedelta(days=2))
    claim_request(request=claimed, supporter=by_key["rachel.adeyemi"], now=now - timedelta(days=1, hours=20))

    create_request(requester=by_key["tom.brennan"], urgency=Urgency.THIS_SHIFT, kind=None, note="",
                   contact_method=ContactMethod.PHONE, contact_detail="07700 900 318", now=now - timedelta(minutes=20))
