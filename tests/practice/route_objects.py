"""Good-practice objects for the generated route tests, made through the real services with the people who have a
claim on them: the author owns a note; the champion whose area takes it in moderates it."""

from portal.db import utcnow
from portal.practice.cascade import feature_note, follow
from portal.practice.models import Feature, Follow, Note, PracticeComment, ThanksProposal
from portal.practice.reactions import add_comment, report_comment
from portal.practice.thanks import propose_from_thanks
from tests.factories import UserFactory
from tests.practice.factories import area, published
from tests.recognition.factories import thank
from tests.route_objects import Owned, builder


@builder(Note)
def note() -> Owned:
    """A published note from a staff member, approved by the champion of their service."""
    a = area()
    return Owned(published(a), a.staff, others=[a.champion, a.north_champion])


@builder(PracticeComment)
def comment() -> Owned:
    a = area()
    item = published(a)
    made = add_comment(note=item, author=a.colleague, body="We tried this on the South desk too.")
    report_comment(comment=made, reporter=UserFactory(), reason="It names a patient.")
    return Owned(made, a.colleague, others=[a.staff, a.champion])


@builder(Feature)
def feature() -> Owned:
    a = area()
    made = feature_note(note=published(a), actor=a.champion, unit=a.pals, until=utcnow().date())
    return Owned(made, a.champion, others=[a.staff])


@builder(Follow)
def follow_row() -> Owned:
    person = UserFactory()
    return Owned(follow(user=person, tag="bereavement"), person)


@builder(ThanksProposal)
def proposal() -> Owned:
    """A champion asking the author of a public thank-you, and the person thanked, whether it may become a note."""
    a = area()
    author = UserFactory(unit=a.south)
    post = thank(author, a.staff, learning="Walk people over to the bereavement office yourself.")
    made = propose_from_thanks(post=post, champion=a.champion)
    return Owned(made, a.champion, others=[author, a.staff])

