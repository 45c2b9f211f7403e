"""From thanks to practice: a champion asks to turn a thank-you's "What can we learn?" into a draft note. The
thank-you's author and every person it thanked are asked first; one "no" ends it, and when everyone has said yes
the champion gets a draft note to finish (nothing is published without them)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from portal.auth.models import User
from portal.common.audit import record_event
from portal.common.errors import InvalidTransition
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.services import notify
from portal.practice import notices, policies
from portal.practice.models import (
    SUMMARY_MAX,
    TITLE_MAX,
    Answer,
    ProposalAnswer,
    ProposalState,
    ThanksProposal,
)
from portal.practice.services import NoteContent, create_note


def people_to_ask(post) -> list[User]:
    """The thank-you's author and the people it thanked by name, each once."""
    people = {post.author_id: post.author}
    for recipient in post.recipients:
        if recipient.user is not None:
            people.setdefault(recipient.user_id, recipient.user)
    return list(people.values())


def existing_proposal(post) -> ThanksProposal | None:
    return db.session.scalar(select(ThanksProposal).where(ThanksProposal.post_id == post.id))


def propose_from_thanks(*, post, champion: User, now: datetime | None = None) -> ThanksProposal:
    """Ask everyone involved. Asking again about the same thank-you returns the first question (one per post)."""
    found = existing_proposal(post)
    if found is not None:
        return found
    if not policies.can_propose_from_thanks(champion, post):
        raise InvalidTransition(_("This thank-you cannot be turned into a note."))
    now = now or utcnow()
    proposal = ThanksProposal(post_id=post.id, champion_id=champion.id, champion=champion, created_at=now)
    for person in people_to_ask(post):
        mine = person.id == champion.id
        proposal.answers.append(ProposalAnswer(user_id=person.id, user=person,
                                               answer=Answer.YES if mine else Answer.WAITING,
                                               answered_at=now if mine else None))
    db.session.add(proposal)
    db.session.flush()
    for answer in proposal.answers:
        if answer.answer == Answer.WAITING:
            notify(recipient=answer.user, kind=notices.ASKED, url=f"/practice/proposals/{proposal.id}",
                   subject=_l("%(name)s would like to share a thank-you as good practice", name=champion.display_name),
                   body=_l("Open Frontline to say yes or no. Nothing is shared unless everyone involved agrees."))
    record_event("practice.thanks_proposed", actor=champion, target=proposal, post_id=post.id)
    _maybe_draft(proposal, now=now)
    return proposal


def answer_proposal(*, answer: ProposalAnswer, user: User, yes: bool, now: datetime | None = None) -> ThanksProposal:
    """Yes or no, once. The proposal row is locked while answering, so the last two "yes" answers arriving together
    still make exactly one draft."""
    if answer.user_id != user.id:
        raise InvalidTransition(_("This question was for someone else."))
    now = now or utcnow()
    proposal = answer.proposal
    db.session.refresh(proposal, with_for_update=True)
    if proposal.state != ProposalState.ASKING:
        raise InvalidTransition(_("This has already been settled: %(state)s.", state=proposal.state.label))
    done = db.session.execute(update(ProposalAnswer).where(ProposalAnswer.id == answer.id,
                                                           ProposalAnswer.answer == Answer.WAITING.value)
                              .values(answer=Answer.YES if yes else Answer.NO, answered_at=now)
                              .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise InvalidTransition(_("You have already answered."))
    db.session.expire(proposal)
    record_event("practice.thanks_answered", actor=user, target=proposal, answer="yes" if yes else "no")
    if not yes:
        proposal.state, proposal.decided_at = ProposalState.DECLINED, now
        db.session.flush()
        notify(recipient=proposal.champion, kind=notices.ASKED, url=f"/practice/proposals/{proposal.id}",
               subject=_l("A thank-you will not become a practice note"),
               body=_l("One of the people involved said no, so it stays as it is."))
        return proposal
    _maybe_draft(proposal, now=now)
    return proposal


def _first_line(text: str, limit: int) -> str:
    line = " ".join((text or "").split())
    return line if len(line) <= limit else line[:limit - 1].rstrip() + "…"


def _maybe_draft(proposal: ThanksProposal, *, now: datetime) -> None:
    if any(a.answer != Answer.YES for a in proposal.answers):
        return
    from portal.recognition.models import Post

    post = db.session.get(Post, proposal.post_id)
    unit_id = next((r.unit_id for r in post.recipients), post.author_unit_id or post.author.unit_id)
    content = NoteContent(
        title=_first_line(post.learning, TITLE_MAX), summary=_first_line(post.learning, SUMMARY_MAX),
        body_source=f"{post.learning}\n\n*{_('From a thank-you, shared with the agreement of everyone in it.')}*",
        unit_id=unit_id, what_we_did=post.what_they_did, what_changed=post.difference, tips="")
    note = create_note(author=proposal.champion, content=content, submit=False, from_post_id=post.id, now=now)
    proposal.state, proposal.decided_at, proposal.note_id = ProposalState.DRAFTED, now, note.id
    db.session.flush()
    notify(recipient=proposal.champion, kind=notices.ASKED, url=f"/practice/{note.id}/edit",
           subject=_l("Everyone agreed: a draft practice note is ready for you"),
           body=_l("Open Frontline to finish it and publish it."))
