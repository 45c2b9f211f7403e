"""The recognition part of a subject access export: thank-yous given and received, comments, appreciations and
reports made, nominations made, co-signed and received.

Received thank-yous are the ones addressed to the person by name that they may read (recognition's own policy):
their words and who sent them, but not other people's comments under them. A nomination of the person names its
nominator unless the scheme reviews blind, and carries the panel's reason where the nominee may read it.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.models import User
from portal.awards import policies as award_policies
from portal.awards.models import AwardScheme, CoSignature, Nomination
from portal.extensions import db
from portal.privacy.records import Section
from portal.recognition import policies as recognition_policies
from portal.recognition.models import Appreciation, Comment, Post, PostRecipient, Report


def _status(post: Post) -> str:
    if post.withdrawn_at is not None:
        return _("Withdrawn")
    if post.hidden_at is not None:
        return _("Hidden by a moderator")
    return _("Shown")


def _recipients(post: Post) -> list[str]:
    return [r.user.display_name if r.user is not None else r.unit.name for r in post.recipients]


def _post_fields() -> list[tuple[str, str]]:
    return [("created_at", _("When")), ("to", _("To")), ("from", _("From")), ("visibility", _("Who can see it")),
            ("what_they_did", _("What they did")), ("difference", _("The difference it made")),
            ("learning", _("Learning to share")), ("values", _("Values")), ("status", _("Status")),
            ("hidden_reason", _("Why a moderator hid it")), ("appreciations", _("Appreciations"))]


def _post_options():
    return (joinedload(Post.author), selectinload(Post.values),
            selectinload(Post.recipients).joinedload(PostRecipient.user),
            selectinload(Post.recipients).joinedload(PostRecipient.unit))


def thanks_given(person: User) -> Section:
    posts = db.session.scalars(select(Post).where(Post.author_id == person.id).options(*_post_options())
                               .order_by(Post.created_at, Post.id))
    items = [{"post_id": p.id, "created_at": p.created_at, "kind": p.kind, "to": _recipients(p),
              "visibility": p.visibility, "title": p.title, "what_they_did": p.what_they_did,
              "difference": p.difference, "learning": p.learning, "values": [v.name for v in p.values],
              "status": _status(p), "hidden_reason": p.hidden_reason, "appreciations": p.appreciation_count}
             for p in posts]
    return Section("thanks_given", _("Thank-yous you gave"), _post_fields(), items)


def thanks_received(person: User) -> Section:
    posts = db.session.scalars(
        select(Post).join(PostRecipient, PostRecipient.post_id == Post.id)
        .where(PostRecipient.user_id == person.id).options(*_post_options()).order_by(Post.created_at, Post.id))
    items = [{"post_id": p.id, "created_at": p.created_at, "kind": p.kind, "from": p.author.display_name,
              "visibility": p.visibility, "title": p.title, "what_they_did": p.what_they_did,
              "difference": p.difference, "learning": p.learning, "values": [v.name for v in p.values],
              "appreciations": p.appreciation_count}
             for p in posts.unique() if recognition_policies.can_view(person, p)]
    return Section("thanks_received", _("Thank-yous to you"), _post_fields(), items,
                   about=_("Thank-yous to you by name that you can read. Comments other people added are theirs."))


def comments(person: User) -> Section:
    rows = db.session.scalars(select(Comment).where(Comment.author_id == person.id)
                              .order_by(Comment.created_at, Comment.id))
    return Section("comments", _("Thanks you added to others' thank-yous"), [
        ("created_at", _("When")), ("post_id", _("Thank-you number")), ("body", _("What you wrote")),
        ("hidden_reason", _("Why a moderator hid it"))],
        [{"created_at": c.created_at, "post_id": c.post_id, "body": c.body, "hidden_reason": c.hidden_reason}
         for c in rows])


def appreciations(person: User) -> Section:
    rows = db.session.scalars(select(Appreciation).where(Appreciation.user_id == person.id)
                              .order_by(Appreciation.created_at, Appreciation.post_id))
    return Section("appreciations", _("Thank-yous you appreciated"), [
        ("created_at", _("When")), ("post_id", _("Thank-you number"))],
        [{"created_at": a.created_at, "post_id": a.post_id} for a in rows])


def reports(person: User) -> Section:
    rows = db.session.scalars(select(Report).where(Report.reporter_id == person.id)
                              .order_by(Report.created_at, Report.id))
    return Section("reports", _("Things you reported"), [
        ("created_at", _("When")), ("post_id", _("Thank-you number")), ("reason", _("Your reason")),
        ("outcome", _("Outcome"))],
        [{"created_at": r.created_at, "post_id": r.post_id, "comment_id": r.comment_id, "reason": r.reason,
          "outcome": r.outcome.value if r.outcome else None} for r in rows])


def _nomination_fields() -> list[tuple[str, str]]:
    return [("created_at", _("When")), ("scheme", _("Scheme")), ("category", _("Category")),
            ("nominee", _("Nominee")), ("nominated_by", _("Nominated by")), ("state", _("Where it is")),
            ("answers", _("Answers")), ("decision_reason", _("The panel's reason"))]


def _nomination_options():
    return (joinedload(Nomination.scheme).selectinload(AwardScheme.panel_rows), joinedload(Nomination.category),
            joinedload(Nomination.nominee), joinedload(Nomination.team), joinedload(Nomination.nominator),
            selectinload(Nomination.answers), selectinload(Nomination.cosignatures))


def _nomination(n: Nomination, person: User, *, nominator: bool) -> dict:
    return {"nomination_id": n.id, "created_at": n.created_at, "scheme": n.scheme.name, "category": n.category.name,
            "nominee": n.nominee_name, "state": n.state,
            "nominated_by": n.nominator.display_name if nominator else None,
            "answers": [f"{a.criterion}: {a.answer}" for a in n.answers],
            "decision_reason": n.decision_reason if award_policies.can_see_decision_reason(person, n) else None}


def nominations_made(person: User) -> Section:
    rows = db.session.scalars(select(Nomination).where(Nomination.nominator_id == person.id)
                              .options(*_nomination_options()).order_by(Nomination.created_at, Nomination.id))
    return Section("nominations_made", _("Nominations you made"), _nomination_fields(),
                   [_nomination(n, person, nominator=False) for n in rows.unique()])


def nominations_received(person: User) -> Section:
    rows = db.session.scalars(select(Nomination).where(Nomination.nominee_id == person.id)
                              .options(*_nomination_options()).order_by(Nomination.created_at, Nomination.id))
    return Section("nominations_received", _("Nominations of you"), _nomination_fields(),
                   [_nomination(n, person, nominator=not n.scheme.is_blind_review) for n in rows.unique()],
                   about=_("Who nominated you is left out where the scheme's panel reviews without names."))


def cosignatures(person: User) -> Section:
    rows = db.session.scalars(select(CoSignature).where(CoSignature.user_id == person.id)
                              .options(joinedload(CoSignature.user)).order_by(CoSignature.created_at))
    return Section("cosignatures", _("Nominations you supported"), [
        ("created_at", _("When")), ("nomination_id", _("Nomination number")), ("comment", _("What you wrote"))],
        [{"created_at": c.created_at, "nomination_id": c.nomination_id, "comment": c.comment} for c in rows])


SECTIONS = [thanks_given, thanks_received, comments, appreciations, reports, nominations_made, cosignatures,
            nominations_received]
