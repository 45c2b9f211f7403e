"""Demo awards: the "Patient Experience Awards 2026" scheme with nominations in several states.

``load_demo(people)`` takes the demo people by email (as ``portal.demo.services.load_demo_organisation`` returns
them), goes through the real services (so nominees are told, and the winner reaches the wall), then spreads the
dates over the last weeks. Running it twice changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from portal.auth.models import User
from portal.awards.models import AwardScheme, Nomination, NominationState, NominationStateChange, today_in_london
from portal.awards.scheme_services import CategoryDetails, SchemeDetails, create_scheme
from portal.awards.services import (
    NominationDetails,
    cosign_nomination,
    decide_nomination,
    endorse_nomination,
    record_publicity_consent,
    score_nomination,
    submit_nomination,
)
from portal.db import utcnow
from portal.extensions import db

SCHEME_NAME = "Patient Experience Awards 2026"
CATEGORIES = [
    CategoryDetails("Compassion under pressure",
                    "What did they do, in a hard moment? Give an example.\n"
                    "What difference did it make to the patient, the caller or the team?"),
    CategoryDetails("Quiet achiever",
                    "What do they do, week in and week out, that too few people notice?\n"
                    "Who would struggle without them, and why?"),
    CategoryDetails("Team of the year",
                    "What did the team achieve together?\nHow did they look after each other while doing it?"),
]


def _by_key(people: dict[str, User]) -> dict[str, User]:
    return {email.split("@")[0]: user for email, user in people.items()}


def _backdate(nomination: Nomination, days_ago: int) -> None:
    """Spread the story over recent weeks: the nomination and each later step a day or two apart."""
    start = utcnow() - timedelta(days=days_ago)
    db.session.execute(update(Nomination).where(Nomination.id == nomination.id)
                       .values(created_at=start, state_changed_at=start + timedelta(days=2)))
    changes = db.session.scalars(select(NominationStateChange).where(
        NominationStateChange.nomination_id == nomination.id).order_by(NominationStateChange.id))
    for step, change in enumerate(changes):
        change.changed_at = start + timedelta(days=step * 2, hours=step)


def load_demo(people: dict[str, User]) -> None:
    if db.session.scalar(select(AwardScheme.id).where(AwardScheme.name == SCHEME_NAME)) is not None:
        return
    p = _by_key(people)
    today = today_in_london()
    panel = [p["margaret.ellis"], p["fatima.begum"]]
    scheme = create_scheme(actor=p["helen.price"], details=SchemeDetails(
        name=SCHEME_NAME, opens_on=today - timedelta(days=60), closes_on=today + timedelta(days=21),
        decision_due_on=today + timedelta(days=35), needs_manager_endorsement=True, is_blind_review=True,
        needs_publicity_consent=True, categories=CATEGORIES, panel_member_ids=[m.id for m in panel],
        description="Our trust's awards for the people who make a hard day better for patients and for each "
                    "other. Nominate a colleague or a team; every nominee is told why they were nominated."))
    compassion, quiet, team = scheme.categories

    def nominate(nominator: str, category, answers: list[str], *, nominee: str | None = None, team_unit=None):
        return submit_nomination(scheme=scheme, nominator=p[nominator], details=NominationDetails(
            category=category, answers=answers, nominee=p[nominee] if nominee else None, team=team_unit))

    priya = nominate("tom.brennan", compassion, nominee="priya.shah", answers=[
        "A father rang about his daughter's cancelled surgery, shouting and then crying. Priya stayed with him for "
        "forty minutes, got the ward sister on the phone and rang him back that evening as she had promised.",
        "He wrote in to say it was the first time anyone had told him what was happening. The ward changed how "
        "it tells families about cancellations."])
    cosign_nomination(nomination=priya, actor=p["megan.lloyd"],
                      comment="She did the same for one of my callers last month. Calm, kind and honest.")
    endorse_nomination(nomination=priya, actor=p["claire.bennett"], endorse=True,
                       reason="Priya is exactly who this award is for.")
    score_nomination(nomination=priya, panel_member=p["margaret.ellis"], scores={0: 5, 1: 4})
    _backdate(priya, 30)

    harpreet = nominate("chloe.evans", quiet, nominee="harpreet.kaur", answers=[
        "Harpreet keeps the bereavement leaflets stocked, updates the contact sheet every Monday and answers the "
        "phone nobody else wants to pick up at five to five.",
        "All of us. Families get the right number first time, so they are not passed around while grieving."])
    _backdate(harpreet, 9)

    seun = nominate("ravi.patel", compassion, nominee="seun.bakare", answers=[
        "A complainant had written eleven times about her mother's care. Seun met her in person, read every "
        "letter with her and made sure she did not have to repeat herself again.",
        "She withdrew the complaint to the ombudsman and asked to help us train new investigators."])
    endorse_nomination(nomination=seun, actor=p["joanne.pearson"], endorse=True, reason="Wholeheartedly.")
    decide_nomination(nomination=seun, panel_member=p["fatima.begum"], outcome=NominationState.AWARDED,
                      reason="Patient, thorough and human: a model for how we want complaints handled.")
    record_publicity_consent(nomination=seun, actor=p["seun.bakare"], consent=True)
    _backdate(seun, 45)

    liam = nominate("ben.cartwright", quiet, nominee="liam.doyle", answers=[
        "Liam covered the front desk for two weeks when we were short, and still did the post and the filing.",
        "The team could keep taking calls without a queue building up at the desk."])
    endorse_nomination(nomination=liam, actor=p["rachel.adeyemi"], endorse=True, reason=None)
    decide_nomination(nomination=liam, panel_member=p["margaret.ellis"], outcome=NominationState.CONVERTED,
                      reason="A lovely example that deserves a personal thank-you; we have sent Ben's words to Liam.")
    _backdate(liam, 20)

    complaints_unit = p["seun.bakare"].unit
    team_nomination = nominate("aisha.rahman", team, team_unit=complaints_unit, answers=[
        "The complaints team cleared a backlog of ninety cases in a quarter without cutting corners, phoning "
        "every complainant first instead of writing.",
        "They held a five-minute check-in every morning and covered for each other after the hardest calls."])
    _backdate(team_nomination, 14)
    db.session.flush()
