"""Thank-yous in search: live posts the viewer may read, with the words that matched.

Who may read what is recognition's rule (portal/recognition/policies.py ``can_view``, in SQL as
``portal.recognition.queries`` writes it for a person's page): public posts for everyone; team and private ones for
the author, the people named, their line managers and the members of a team thanked. Withdrawn and hidden posts are
not found by anyone. The rule is applied in the query, before the page is cut, so a post outside the viewer's circle
never reaches a snippet; ``policies.can_find_thanks`` checks every hit again on its way out.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy import exists, func, or_
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.models import User
from portal.org.queries import subtree_unit_ids
from portal.recognition.models import Post, PostRecipient, PostValue, RecognitionValue, Visibility
from portal.recognition.queries import _in_circle_of
from portal.search import policies
from portal.search.indexes import POSTS
from portal.search.sources import Filter, Hit, SearchPage, SearchQuery, engine, keyset

VISIBILITY_TAGS = {Visibility.TEAM: (_l("Team only"), "blue"), Visibility.PRIVATE: (_l("Private"), "grey")}


class ThanksSource:
    kind = "thanks"
    label = _l("Thank-yous")
    filters = frozenset({Filter.UNIT, Filter.TAG, Filter.DATE})

    def available(self) -> bool:
        return True

    def search(self, query: SearchQuery, *, viewer: User) -> SearchPage:
        ranked = keyset(query, entity=Post, index=POSTS, where=[*visible_to(viewer), *_filters(query)],
                        options=(joinedload(Post.author).lazyload(User.role_rows),
                                 selectinload(Post.recipients).joinedload(PostRecipient.user).lazyload(User.role_rows),
                                 selectinload(Post.recipients).joinedload(PostRecipient.unit),
                                 selectinload(Post.values)),
                        newest=Post.created_at)
        posts = ranked.rows
        shown = [post for post in posts if policies.can_find_thanks(viewer, post)]
        if len(shown) != len(posts):  # the SQL and the policy disagree: show less, and say so
            current_app.logger.error("search: thank-yous %s failed the policy", {p.id for p in posts} - set(shown))
        words = engine().marks(POSTS, query.words, [post.id for post in shown], {"words": False})
        return SearchPage(self.kind, self.label, [_hit(post, words.get(post.id, {})) for post in shown],
                          ranked.next_cursor, capped=ranked.capped)


def visible_to(viewer: User) -> list:
    """Live posts ``viewer`` may read (recognition's ``can_view``, for posts that are neither withdrawn nor
    hidden)."""
    return [Post.withdrawn_at.is_(None), Post.hidden_at.is_(None),
            or_(Post.visibility == Visibility.PUBLIC, Post.author_id == viewer.id, _in_circle_of(viewer))]


def _filters(query: SearchQuery) -> list:
    found = []
    if query.unit is not None:  # a person or team thanked in the unit or beneath it, as on the wall
        found.append(exists().where(PostRecipient.post_id == Post.id,
                                    PostRecipient.unit_id.in_(subtree_unit_ids(query.unit))))
    if query.tag:  # a value it was given for
        found.append(exists().where(PostValue.post_id == Post.id, PostValue.value_id == RecognitionValue.id,
                                    func.lower(RecognitionValue.name) == query.tag.lower()))
    if query.start is not None:
        found.append(Post.created_at >= query.start)
    if query.end is not None:
        found.append(Post.created_at < query.end)
    return found


def _hit(post: Post, marks: dict) -> Hit:
    names = [r.user.display_name if r.user is not None else _("the %(team)s team", team=r.unit.name)
             for r in post.recipients]
    people = names[0] if len(names) == 1 else _("%(names)s and %(last)s", names=", ".join(names[:-1]), last=names[-1])
    title = (_("Award: %(title)s", title=post.title) if post.is_award
             else _("%(author)s thanked %(people)s", author=post.author.display_name, people=people))
    tags = [VISIBILITY_TAGS[post.visibility]] if post.visibility in VISIBILITY_TAGS else []
    return Hit(endpoint="recognition.post", args={"post_id": post.id}, title=escape(title),
               snippets=[marks.get("words") or escape(post.what_they_did[:200])], when=post.created_at,
               tags=[*tags, *((value.name, "green") for value in post.values)], obj=post)
