"""Query counts that must not grow with what a page shows, and the htmx appreciate doing only what its fragment
needs."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.recognition import queries as recognition_queries
from portal.recognition.models import Comment
from portal.recognition.moderation import report_item
from portal.recognition.queries import FEW_RECIPIENTS, WallFilter, few_post_ids, wall_page
from tests.factories import UnitFactory, UserFactory
from tests.recognition.factories import thank, value_ids

pytestmark = pytest.mark.usefixtures("app_ctx")

HX = {"HX-Request": "true"}


def test_htmx_appreciate_runs_only_what_its_fragment_needs(as_user, count_queries):
    author, fan = UserFactory(), UserFactory()
    post = thank(author, UserFactory(), UserFactory(), values=("Listened", "Timely"))
    post.comments.append(Comment(author_id=fan.id, body="Seconded"))
    db.session.flush()
    client = as_user(fan)
    token = client.csrf_token()
    with count_queries() as counter:
        response = client.post(f"/thanks/{post.id}/appreciate", data={"appreciated": "1", "csrf_token": token},
                               headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "You appreciate this" in body and "<html" not in body
    statements = [s.lower() for s in counter.statements]
    assert not any("notification" in s for s in statements), "the fragment shows no bell"
    assert not any("recognition_comment" in s or "recognition_recipient" in s or "recognition_post_value" in s
                   for s in statements), "the fragment needs none of the post's collections"
    assert counter.count <= 7, counter.statements


def _fill(area, count: int, viewer) -> list:
    """``count`` public thank-yous to people (with line managers) in ``area``, each with a comment by ``viewer``."""
    posts = []
    author = UserFactory()
    for _ in range(count):
        person = UserFactory(unit=area, manager=UserFactory())
        post = thank(author, person, UserFactory(unit=area), values=("Listened", "Timely"))
        post.comments.append(Comment(author_id=viewer.id, body="Seconded"))
        posts.append(post)
    db.session.flush()
    return posts


@pytest.mark.parametrize("few_recipients", [FEW_RECIPIENTS, 0], ids=["from-recipients", "walking-the-wall"])
def test_the_wall_filtered_to_a_unit_costs_the_same_queries_for_5_or_30_posts(as_user, count_queries, monkeypatch,
                                                                               few_recipients):
    monkeypatch.setattr(recognition_queries, "FEW_RECIPIENTS", few_recipients)
    directorate = UnitFactory(name="Directorate")
    team = UnitFactory(name="North team", parent=directorate)
    viewer = UserFactory()
    client = as_user(viewer)
    url = f"/thanks?unit={directorate.id}&value={value_ids('Listened')[0]}"
    _fill(team, 5, viewer)
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _fill(team, 25, viewer)
    with count_queries() as many:
        page = client.get(url).get_data(as_text=True)
    assert page.count('class="card thanks') == 25
    assert few.count == many.count, (few.statements, many.statements)
    assert sum("user_role" in s for s in many.statements) == 1, "nobody's roles but the viewer's"


def test_both_ways_of_filtering_to_a_unit_list_the_same_posts(as_user, monkeypatch):
    area = UnitFactory(name="Area")
    team, elsewhere = UnitFactory(name="South team", parent=area), UnitFactory(name="Elsewhere")
    viewer = UserFactory()
    mine = _fill(team, 4, viewer)
    _fill(elsewhere, 3, viewer)
    team_thanks = thank(UserFactory(), team=team)
    hidden = thank(UserFactory(), UserFactory(unit=team), visibility="private")
    wanted = {post.id for post in [*mine, team_thanks]}
    found = {}
    for few_recipients in (FEW_RECIPIENTS, 0):
        monkeypatch.setattr(recognition_queries, "FEW_RECIPIENTS", few_recipients)
        page = wall_page(WallFilter(unit=area), cursor=None, size=25)
        found[few_recipients] = [post.id for post in page.items]
        assert set(found[few_recipients]) == wanted and hidden.id not in found[few_recipients]
        assert (few_post_ids(area, None) is None) == (few_recipients == 0)
    assert found[FEW_RECIPIENTS] == found[0]


def test_the_moderation_queue_costs_the_same_queries_for_5_or_30_reports(as_user, count_queries):
    area = UnitFactory(name="Moderated area")
    champion = UserFactory(champion=True, unit=area)
    client = as_user(champion)

    def reported(count):
        for post in _fill(area, count, UserFactory()):
            report_item(post=post, reporter=UserFactory(), reason="Names a patient")
        db.session.flush()

    reported(5)
    client.get("/thanks/reports")
    with count_queries() as few:
        assert client.get("/thanks/reports").status_code == 200
    reported(25)
    with count_queries() as many:
        assert client.get("/thanks/reports").status_code == 200
    assert few.count == many.count, (few.statements, many.statements)
