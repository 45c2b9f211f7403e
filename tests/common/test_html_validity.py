"""The Nu HTML Checker is really checking: it finds a real mistake and accepts a correct page. (Every page of the
URL map is checked with it in tests/common/test_routes.py.)"""

PAGE = '<!doctype html><html lang="en"><head><title>x</title></head><body>{}</body></html>'


def test_the_checker_finds_a_real_mistake(html_checker):
    [error] = html_checker.errors(PAGE.format('<time datetime="2026-11-29T06:00:00.123456+00:00">now</time>'))
    assert "fraction of a second" in error


def test_the_checker_accepts_a_correct_page(html_checker):
    assert html_checker.errors(PAGE.format('<time datetime="2026-11-29T06:00:00Z">now</time>')) == []


def test_the_error_pages_are_valid_html(client, html_checker):
    for response in (client.get("/no-such-page"), client.get("/logout"), client.post("/logout", csrf=False)):
        assert response.status_code in (400, 404, 405)
        assert html_checker.errors(response.get_data(as_text=True)) == [], response.status_code
