"""What search may show to whom. Search adds no rule of its own: each kind of thing found is shown to exactly the
people its own feature's policy lets read it, and only while it is live. Every hit is checked with these on its way
out (the sources' queries apply the same rules in SQL, before a page is cut)."""

from __future__ import annotations

from portal.auth.models import User
from portal.practice.models import NoteState
from portal.recognition import policies as recognition


def can_search(user: User) -> bool:
    """The search box and page: everyone signed in."""
    return user.is_authenticated and user.is_active_account


def can_find_thanks(user: User, post) -> bool:
    """A thank-you its reader may open (recognition's ``can_view``) that is neither withdrawn nor hidden."""
    return post.is_live and recognition.can_view(user, post)


def can_find_note(user: User, note) -> bool:
    """A published practice note (drafts, notes waiting for review and hidden notes are never found)."""
    return note.state == NoteState.PUBLISHED and user.is_authenticated


def can_find_colleague(user: User, person: User) -> bool:
    """Active colleagues only: a deactivated account is not offered (their thank-yous still are)."""
    return person.is_active_account
