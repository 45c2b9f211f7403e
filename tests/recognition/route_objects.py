"""Recognition objects for the generated route tests: each made through the real services, with the people who
have a claim on it. The ids in the old addresses (redirects, which load nothing) come from the same builders."""

from dataclasses import replace

from portal.auth.models import User
from portal.recognition.models import Comment, Post, RecognitionValue, Report
from portal.recognition.moderation import report_item
from portal.recognition.reactions import add_comment
from portal.recognition.services import add_value
from tests.auth.route_objects import person
from tests.factories import UnitFactory, UserFactory
from tests.recognition.factories import thank
from tests.route_objects import Owned, arg_builder, builder


def _public_thanks() -> tuple[Post, User, User]:
    """A public thank-you from its author to a colleague with a line manager, in a team of its own."""
    team = UnitFactory(name="Bereavement office")
    recipient = UserFactory(unit=team, manager=UserFactory())
    author = UserFactory()
    return thank(author, recipient), author, recipient


@builder(Post)
def post() -> Owned:
    """The author owns it; the person thanked and their line manager have a claim on it too."""
    item, author, recipient = _public_thanks()
    return Owned(item, author, others=[recipient, recipient.manager])


@builder(Comment)
def comment() -> Owned:
    item, author, recipient = _public_thanks()
    commenter = UserFactory()
    return Owned(add_comment(post=item, author=commenter, body="Seconded."), commenter, others=[author, recipient])


@builder(Report)
def report() -> Owned:
    item, author, _ = _public_thanks()
    reporter = UserFactory()
    return Owned(report_item(post=item, reporter=reporter, reason="It names a patient."), reporter, others=[author])


@builder(RecognitionValue)
def recognition_value() -> Owned:
    hr = UserFactory(hr=True)
    return Owned(add_value(name="Warm handover", actor=hr), hr)


@arg_builder("person_id")
def person_in_an_old_address() -> Owned:
    made = person()
    return replace(made, extra_args={"person_id": made.obj.id})


@arg_builder("value_id")
def value_in_an_old_address() -> Owned:
    made = recognition_value()
    return replace(made, extra_args={"value_id": made.obj.id})
