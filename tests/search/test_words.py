"""Reading what people type: the same words, phrases, exclusions and alternatives on both databases, and nothing
anyone types is ever read as query syntax (checked against a real SQLite FTS5 table and, on PostgreSQL, the real
websearch_to_tsquery/to_tsquery)."""

import sqlite3

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal.extensions import db
from portal.search import postgres, sqlite
from portal.search.words import MAX_LENGTH, Term, parse, tidy

PURE = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NASTY = st.text(alphabet=st.sampled_from(list('"-* ()^:+\'\\orORNEANDnotNOT&|!<>~@#%;,.ab1é٣²_\u202e\u200b\ue000'
                                              '\x00\t\n')), max_size=60)
ANY_TEXT = st.one_of(st.text(max_size=300), NASTY)


def terms(text):
    return [[(t.tokens, t.negated, t.prefix) for t in alternative] for alternative in parse(text).alternatives]


def test_all_words_must_be_there_and_the_last_one_may_be_unfinished():
    assert terms("crisis team") == [[(("crisis",), False, False), (("team",), False, True)]]
    assert terms("crisis team ") == [[(("crisis",), False, False), (("team",), False, False)]]


def test_phrases_exclusions_and_alternatives_read_as_postgresql_reads_them():
    assert terms('"warm handover" -phone or grief ') == [
        [(("warm", "handover"), False, False), (("phone",), True, False)], [(("grief",), False, False)]]
    assert terms('crisis -"caller in"') == [[(("crisis",), False, False), (("caller", "in"), True, False)]]
    assert terms("or crisis or ") == [[(("crisis",), False, False)]]
    assert terms("a or or b") == [[(("b",), False, False)]]  # "a" is too common to look for, as in PostgreSQL
    assert terms("O'Neil") == [[(("o", "neil"), False, True)]]  # one word, two parts next to each other


def test_common_words_alone_and_exclusions_alone_are_not_a_search():
    assert parse("the and of").empty
    assert parse("-crisis").empty
    assert parse("the -crisis").empty
    assert parse("").empty and parse(None).empty and parse("   ").empty
    assert not parse("the crisis").empty


def test_a_prefix_needs_two_letters_and_a_plain_word():
    assert terms("a") == []
    assert terms("x") == [[(("x",), False, False)]]
    assert terms('"warm hand') == [[(("warm", "hand"), False, False)]]
    assert terms("-pho") == []


def test_invisible_characters_and_length_are_tidied():
    assert tidy("a\u202eb\u200bc\x00d\te") == "a b c d e"
    assert len(tidy("x" * 5000)) == MAX_LENGTH
    assert parse("x" * 5000).text == "x" * MAX_LENGTH


@given(ANY_TEXT)
@example("İ")  # lowered, a dotted capital I is "i" and a combining dot: the dot must not reach the database
@PURE
def test_tokens_are_only_letters_and_digits(text):
    words = parse(text)
    assert len(words.text) <= MAX_LENGTH
    for alternative in words.alternatives:
        assert any(not term.negated for term in alternative)
        for term in alternative:
            assert term.tokens and all(token.isalnum() and "_" not in token for token in term.tokens)


@pytest.fixture(scope="module")
def fts5():
    connection = sqlite3.connect(":memory:")
    connection.executescript(
        "CREATE VIRTUAL TABLE doc USING fts5(a, b, tokenize='porter unicode61 remove_diacritics 2');"
        "INSERT INTO doc VALUES ('You stayed on the line with a caller in crisis', 'Listened O''Neil');")
    yield connection
    connection.close()


@given(ANY_TEXT)
@PURE
def test_no_input_is_an_fts5_syntax_error(fts5, text):
    words = parse(text)
    if not words.empty:
        fts5.execute("SELECT rowid, snippet(doc, 0, '[', ']', '…', 10) FROM doc WHERE doc MATCH ?",
                     (sqlite.fts_expression(words),)).fetchall()


def test_the_fts5_expression_finds_what_the_words_say(fts5):
    def found(text):
        return bool(fts5.execute("SELECT rowid FROM doc WHERE doc MATCH ?",
                                 (sqlite.fts_expression(parse(text)),)).fetchall())

    assert found("crisis") and found("cris") and found("CRISIS") and found('"caller in crisis"')
    assert found("o'neil") and found("nothing or crisis") and found("listened -nothing")
    assert not found("crisis -caller") and not found('"crisis caller"') and not found("cris ")


@pytest.mark.postgres_only  # websearch_to_tsquery is PostgreSQL's
@given(ANY_TEXT)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_input_is_a_tsquery_syntax_error(app_ctx, text):
    words = parse(text)
    if not words.empty:
        db.session.execute(select(postgres.tsquery(words))).scalar()


def test_term_rendering_quotes_every_part():
    words = parse('crisis "warm hand" -phone x')
    assert sqlite.fts_expression(words) == '(("crisis" AND "warm hand" AND "x") NOT "phone")'
    assert sqlite._phrase(Term(('say"',), prefix=True)) == '"say"""*'
