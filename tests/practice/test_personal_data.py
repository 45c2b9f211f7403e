"""The personal-data guard (true and false positives, NHS number check digits) and the word-level diff."""

from datetime import date

import pytest

from portal.practice.diffing import diff_fields, tokens, word_diff
from portal.practice.personal_data import highlight, nhs_number_is_valid, scan, scan_text

TODAY = date(2026, 12, 2)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan_text("body", text, today=TODAY)]


@pytest.mark.parametrize("number", ["9434765919", "4010232137", "9990000018", "4505577104"])
def test_valid_nhs_numbers_pass_the_modulus_11_check(number):
    assert nhs_number_is_valid(number)


@pytest.mark.parametrize("number", [
    "9434765918",  # wrong check digit
    "9434765910",
    "1234567890",
    "0000000001",
    "4010232138",
    "123456789",  # nine digits
    "12345678901",
    "94347659l9",
])
def test_invalid_nhs_numbers_fail_it(number):
    assert not nhs_number_is_valid(number)


def test_a_number_whose_check_digit_would_be_ten_is_never_valid():
    # 1,2,3,4,5,6,7,8,9 weighted 10..2 sums to 210; 210 % 11 = 1 → 11 - 1 = 10: no valid check digit exists.
    assert not any(nhs_number_is_valid(f"123456789{d}") for d in range(10))


@pytest.mark.parametrize(("text", "found"), [
    ("NHS no. 943 476 5919 seen today", [("nhs_number", "943 476 5919")]),
    ("ref 9434765919.", [("nhs_number", "9434765919")]),
    ("943-476-5919", [("nhs_number", "943-476-5919")]),
    ("NI number AB 12 34 56 C on file", [("ni_number", "AB 12 34 56 C")]),
    ("ab123456c", [("ni_number", "ab123456c")]),
    ("Her mobile is 07700 900123", [("phone", "07700 900123")]),
    ("call +44 7700 900123 back", [("phone", "+44 7700 900123")]),
    ("landline (0191) 498 0000", [("phone", "(0191) 498 0000")]),
    ("020 7946 0000", [("phone", "020 7946 0000")]),
    ("write to jo.bloggs+pals@example.co.uk", [("email", "jo.bloggs+pals@example.co.uk")]),
    ("lives at NE1 4ST", [("postcode", "NE1 4ST")]),
    ("postcode sw1a 2aa", [("postcode", "sw1a 2aa")]),
    ("DOB 12/03/2001", [("date_of_birth", "12/03/2001")]),
    ("born 3 March 2019, the baby", [("date_of_birth", "3 March 2019")]),
    ("date of birth: 1.2.99", [("date_of_birth", "1.2.99")]),
    ("came in on 14/07/1956 with her son", [("date_of_birth", "14/07/1956")]),
])
def test_true_positives(text, found):
    assert kinds(text) == found


@pytest.mark.parametrize("text", [
    "Call the EAP on 0800 123 4567 any time.",  # freephone: an organisation's line
    "Our helpline is 0300 123 1234.",
    "Samaritans: 116 123.",
    "From 1 April 2026 we changed the form.",  # a recent date, nothing about birth
    "We met on 03/11/2025 to agree it.",
    "Use form PALS-7 and room B2.",
    "Around 2019 we had 1234567890 calls.",  # ten digits that fail the check
    "Order 943 476 5918 arrived.",  # fails the check by one
    "Use an A4 envelope, and the M1 or the A1(M).",
    "We answered 98% within 5 minutes at 10am.",
    "Email the team mailbox (address on the intranet).",
])
def test_false_positives_are_left_alone(text):
    assert kinds(text) == []


def test_every_field_is_scanned_and_overlaps_are_claimed_once():
    found = scan({"title": "For 07700 900123", "tips": "NHS 943 476 5919", "tags": "ne1 4st"}, today=TODAY)
    assert [(f.field, f.kind) for f in found] == [("title", "phone"), ("tips", "nhs_number"), ("tags", "postcode")]


def test_highlight_marks_the_finding_and_escapes_everything_else():
    text = "<script>alert(1)</script> call 07700 900123 & <b>"
    marked = str(highlight(text, scan_text("body", text, today=TODAY)))
    assert marked == ('&lt;script&gt;alert(1)&lt;/script&gt; call <mark class="personal-data">07700 900123</mark> '
                      "&amp; &lt;b&gt;")


def test_highlight_ignores_spans_that_no_longer_fit_the_text():
    assert str(highlight("short", [{"start": 2, "end": 50}])) == "short"


# --- the diff -----------------------------------------------------------------------------------------------------

def test_tokens_keep_words_spaces_and_punctuation():
    assert tokens("Walk them over, please.") == ["Walk", " ", "them", " ", "over", ",", " ", "please", "."]


def test_word_diff_marks_insertions_and_deletions():
    html = str(word_diff("Give them a number.", "Walk them over."))
    assert html == "<del>Give</del><ins>Walk</ins> them <del>a number</del><ins>over</ins>."


def test_the_diff_escapes_every_token():
    html = str(word_diff("<b>old</b>", '<img src=x onerror="alert(1)"> `${alert(1)}`'))
    assert "<img" not in html and "<b>" not in html and "</b>" not in html
    assert html.count("&lt;") == 2 and "onerror=&#34;alert(1)&#34;" in html


def test_diff_fields_skips_fields_empty_in_both_and_says_which_changed():
    diffs = diff_fields({"title": "A", "tips": ""}, {"title": "A", "summary": "B"},
                        {"title": "Title", "summary": "Summary", "tips": "Tips"})
    assert [(d.label, d.changed) for d in diffs] == [("Title", False), ("Summary", True)]
