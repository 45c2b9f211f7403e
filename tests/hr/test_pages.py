"""HR's export pages: the form (last month by default, the row count and the download links for exactly what was
chosen, the htmx fragment), the unit picker inside it, and the data dictionary."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from portal.common.london import london_today
from portal.hr.columns import COLUMNS
from tests.hr.factories import org, thank_at

pytestmark = pytest.mark.usefixtures("app_ctx")


@pytest.fixture
def o():
    return org()


def download_links(html: str) -> list[dict[str, list[str]]]:
    hrefs = [part.split('"')[0].replace("&amp;", "&") for part in html.split('href="')[1:]]
    return [parse_qs(urlsplit(href).query) for href in hrefs if "/hr/exports/recognition." in href]


def test_the_form_starts_at_last_month_and_counts_nothing_until_asked(as_user, o):
    page = as_user(o.hr).get("/hr/exports").get_data(as_text=True)
    last = london_today().replace(day=1) - timedelta(days=1)
    assert f'value="{last.replace(day=1).isoformat()}"' in page and f'value="{last.isoformat()}"' in page
    assert "press “Count rows”" in page and download_links(page) == []


def test_counting_shows_the_rows_by_type_and_links_with_the_same_filters(as_user, o, count_queries):
    thank_at(o.giver, o.tom, o.sam, when="2025-03-14 10:00")
    thank_at(o.giver, o.ola, when="2025-03-15 10:00")
    client = as_user(o.hr)
    params = {"from": "2025-03-01", "to": "2025-03-31", "unit": o.pals.id, "message": "y", "pseudonymise": "y"}
    with count_queries() as counted:
        response = client.get("/hr/exports", query_string=params)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 rows" in page
    assert "PALS and every unit beneath it" in page
    csv_link, xlsx_link = download_links(page)
    assert csv_link == xlsx_link == {"from": ["2025-03-01"], "to": ["2025-03-31"], "unit": [str(o.pals.id)],
                                     "message": ["1"], "pseudonymise": ["1"]}
    assert counted.count < 25


def test_htmx_gets_only_the_preview(as_user, o):
    thank_at(o.giver, o.tom, when="2025-03-14 10:00")
    response = as_user(o.hr).get("/hr/exports", query_string={"from": "2025-03-01", "to": "2025-03-31"},
                                 headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="preview"') and "1 row" in fragment and "<form" not in fragment


def test_nothing_to_export_says_so_without_links(as_user, o):
    page = as_user(o.hr).get("/hr/exports", query_string={"from": "2025-03-01", "to": "2025-03-31"}).get_data(
        as_text=True)
    assert "Nothing matches" in page and download_links(page) == []


def test_a_unit_picked_from_the_matches_is_kept_when_the_form_is_sent(as_user, o):
    """Without JavaScript the search words travel with the unit picked; only "Find" searches again."""
    thank_at(o.giver, o.tom, when="2025-03-14 10:00")
    thank_at(o.giver, o.sam, when="2025-03-14 11:00")
    client = as_user(o.hr)
    params = {"from": "2025-03-01", "to": "2025-03-31", "unit_q": "North", "unit": o.north.id}
    counted = client.get("/hr/exports", query_string=params).get_data(as_text=True)
    assert "1 row" in counted and download_links(counted)[0]["unit"] == [str(o.north.id)]
    searched = client.get("/hr/exports", query_string={**params, "unit_q": "South", "unit_find": "1"}).get_data(
        as_text=True)
    assert 'value="South"' in searched and "Riverside Trust / PALS / South team" in searched
    assert "2 rows" in searched  # no unit chosen yet: every unit


def test_bad_dates_are_shown_next_to_the_fields_with_what_was_typed(as_user, o):
    response = as_user(o.hr).get("/hr/exports", query_string={"from": "2025-03-31", "to": "2025-03-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    assert "The To date must be the same as or after the From date" in page and 'value="2025-03-31"' in page
    assert download_links(page) == []


def test_the_data_dictionary_lists_every_column_in_order(as_user, o):
    page = as_user(o.hr).get("/hr/exports/columns").get_data(as_text=True)
    positions = [page.index(f'id="column-{column.name}"') for column in COLUMNS]
    assert positions == sorted(positions)
    assert "fewer than 5" in page and "byte-order mark" in page


def test_the_export_pages_are_for_hr(as_user, o):
    client = as_user(o.giver)
    for path in ("/hr/exports", "/hr/exports/columns", "/hr/api-tokens"):
        assert client.get(path).status_code == 403
