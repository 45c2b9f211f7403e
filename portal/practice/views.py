"""Good practice: the published list, a note, and the editor with its live preview.

Moderation is in moderation_views.py, reactions (useful, comments, flags) in reaction_views.py, the cascade
(feature, supersede, follow) in cascade_views.py, from-thanks-to-practice in thanks_views.py; the URL rules are in
blueprint.py.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, has_request_context, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import signed_in
from portal.common.htmx import is_htmx, redirect_after_post, render_page
from portal.common.loading import load
from portal.common.markdown import render_markdown
from portal.common.roles import Role
from portal.common.transaction import attempt
from portal.home.waiting import WaitingItem
from portal.org.picker import UnitChoice, unit_choice
from portal.org.queries import labels_for
from portal.practice import personal_data, policies, queries
from portal.practice.forms import CommentForm, NoteForm, new_request_key
from portal.practice.models import Note, NoteState
from portal.practice.services import TEXT_FIELDS, NoteContent, create_note, edit_note, normalise_tag
from portal.practice.services import submit_note as send_note

FIELD_LABELS = {"title": "Title", "summary": "One-line summary", "body_source": "Body", "situation": "The situation",
                "what_we_did": "What we did", "what_changed": "What changed", "tips": "Tips for others",
                "tags": "Tags"}


def waiting_items(user) -> list[WaitingItem]:
    items = [WaitingItem(_("Practice notes sent back to you for changes"),
                         sum(1 for n in queries.my_notes(user) if n.state == NoteState.CHANGES_REQUESTED),
                         url_for("practice.mine")),
             WaitingItem(_("Thank-yous a champion would like to share as good practice"),
                         len(queries.proposals_waiting_for(user)), url_for("practice.mine"))]
    if user.has_role(Role.CHAMPION):
        items.append(WaitingItem(_("Practice notes and comments to review"), queries.notes_count(user),
                                 url_for("practice.review")))
    return items


def queue_badge_context() -> dict[str, Any]:
    """Context processor: the champion's queue count for the header badge (one COUNT statement), champions only."""
    if has_request_context() and current_user.is_authenticated and current_user.has_role(Role.CHAMPION) \
            and not current_user.must_change_password:
        return {"practice_queue_count": queries.queue_count(current_user)}
    return {}


# --- reading --------------------------------------------------------------------------------------------------

def _filters() -> tuple[queries.NoteFilter, dict, UnitChoice]:
    tag = normalise_tag(request.args.get("tag", ""))[:40] or None
    unit = unit_choice(request.args)
    following = request.args.get("following") == "1"
    filters = queries.NoteFilter(tag=tag, unit=unit.unit, following=current_user if following else None)
    query = {"tag": tag, "unit": unit.unit.id if unit.unit else None, "following": "1" if following else None}
    return filters, {k: v for k, v in query.items() if v}, unit


@signed_in
def index():
    filters, query, unit = _filters()
    page = queries.published_page(filters, cursor=request.args.get("after"), size=current_app.config["PAGE_SIZE"])
    block = "items" if request.args.get("after") else ("results" if request.headers.get("HX-Target") ==
                                                         "practice-results" else None)
    return render_page("practice/index.html", block=block, page=page, query=query, unit=unit, filters=filters,
                       useful=queries.useful_to(current_user, page.items),
                       labels=labels_for(list({n.unit_id: n.unit for n in page.items}.values())))


@signed_in
def mine():
    return render_page("practice/mine.html", notes=queries.my_notes(current_user),
                       asked=queries.proposals_waiting_for(current_user))


@signed_in
@load("note_id", Note, can=policies.can_view, hide=True)
def show(note: Note):
    return render_note(note, CommentForm(request_key=new_request_key()))


def render_note(note: Note, comment_form: CommentForm, status_code: int = 200):
    comments = [c for c in queries.comments_on(note) if policies.can_see_comment(current_user, c)]
    return render_page("practice/note.html", note=note, comments=comments, comment_form=comment_form,
                       useful=queries.useful_to(current_user, [note]), unit_label=labels_for([note.unit])[note.unit_id],
                       features=queries.features_of(note) if policies.can_moderate(current_user, note) else [],
                       status_code=status_code)


# --- the editor -----------------------------------------------------------------------------------------------

def _content(form: NoteForm, unit: UnitChoice) -> NoteContent:
    from portal.practice.services import parse_tags

    return NoteContent(title=form.title.data or "", summary=form.summary.data or "",
                       body_source=form.body_source.data or "", situation=form.situation.data or "",
                       what_we_did=form.what_we_did.data or "", what_changed=form.what_changed.data or "",
                       tips=form.tips.data or "", tags=parse_tags(form.tags.data),
                       unit_id=unit.unit.id if unit.unit else None)


def _findings(form: NoteForm) -> list[personal_data.Finding]:
    texts = {name: getattr(form, name).data or "" for name in TEXT_FIELDS} | {"tags": form.tags.data or ""}
    return personal_data.scan(texts)


def _highlighted(form: NoteForm, findings: list[personal_data.Finding]) -> list[tuple[str, Any, list]]:
    """(field label, the field's text with the findings marked, the findings) for each field with findings."""
    shown = []
    for name, label in FIELD_LABELS.items():
        mine = [f for f in findings if f.field == name]
        if mine:
            shown.append((_(label), personal_data.highlight(getattr(form, name).data or "", mine), mine))
    return shown


def _buttons(note: Note | None) -> list[tuple[str, str, str]]:
    """(action, label, css) for the editor's buttons: Preview, then what this person may do, the main one last."""
    champion = current_user.has_role(Role.CHAMPION)
    send = (_("Publish"), "button") if champion else (_("Send for review"), "button")
    buttons = [("preview", _("Preview"), "button button--secondary")]
    if note is None:
        return [*buttons, ("draft", _("Save as draft"), "button button--secondary"), ("submit", *send)]
    if policies.can_submit(current_user, note):
        return [*buttons, ("save", _("Save draft"), "button button--secondary"), ("submit", *send)]
    if policies.can_approve(current_user, note) and not policies.is_author(current_user, note):
        return [*buttons, ("save", _("Save changes"), "button button--secondary"),
                ("approve", _("Save and publish"), "button")]
    return [*buttons, ("save", _("Save changes"), "button")]


def _render_editor(form: NoteForm, unit: UnitChoice, *, note: Note | None, preview: bool):
    findings = _findings(form)
    return render_page("practice/edit.html", form=form, unit=unit, note=note,
                       preview=render_markdown(form.body_source.data)
                       if preview or (request.method == "POST" and form.body_source.data) else None,
                       findings=_highlighted(form, findings), buttons=_buttons(note),
                       goes_back=note is not None and note.state == NoteState.PUBLISHED
                       and policies.is_author(current_user, note) and not current_user.has_role(Role.CHAMPION))


def _action() -> str:
    action = request.form.get("action", "")
    return action if action in ("preview", "draft", "submit", "save", "approve") else ""


def _unit_for(note: Note | None) -> UnitChoice:
    if request.method == "POST":
        return unit_choice(request.form)
    unit = note.unit if note is not None else current_user.unit
    return unit_choice({"unit": str(unit.id)})


@signed_in
def new():
    form = NoteForm()
    form.request_key.data = form.request_key.data or new_request_key()
    unit, action = _unit_for(None), _action()
    if action in ("draft", "submit") and form.validate_on_submit():
        with attempt(form) as outcome:
            note = create_note(author=current_user, content=_content(form, unit), submit=action == "submit",
                               confirm_personal_data=bool(form.confirm_personal_data.data),
                               idempotency_key=form.request_key.data)
        if outcome.ok:
            flash(_saved_message(note), "success")
            return redirect_after_post(url_for("practice.show", note_id=note.id))
    return _render_editor(form, unit, note=None, preview=action == "preview")


def _saved_message(note: Note) -> str:
    return {NoteState.DRAFT: _("Draft saved. Only you can see it."),
            NoteState.PENDING: _("Sent. A service champion for your area will review it, and you will be told."),
            NoteState.PUBLISHED: _("Published. Thank you for sharing what works.")}.get(note.state, _("Saved."))


@signed_in
@load("note_id", Note, can=policies.can_open_editor, hide=True)
def edit(note: Note):
    if request.method == "GET":
        form = NoteForm(data={**{name: getattr(note, name) for name in TEXT_FIELDS}, "tags": ", ".join(note.tags),
                              "version": note.version})
    else:
        form = NoteForm()
    unit, action = _unit_for(note), _action()
    if action in ("save", "submit", "approve") and form.validate_on_submit():
        with attempt(form) as outcome:
            _save(note, form, unit, action)
        if outcome.ok:
            flash(_saved_message(note) if action != "save" else _("Changes saved."), "success")
            return redirect_after_post(url_for("practice.show", note_id=note.id))
    return _render_editor(form, unit, note=note, preview=action == "preview")


def _save(note: Note, form: NoteForm, unit: UnitChoice, action: str) -> None:
    from portal.practice.moderation import edit_and_approve

    version = form.version.data or note.version
    confirmed = bool(form.confirm_personal_data.data)
    if action == "approve":
        edit_and_approve(note=note, actor=current_user, content=_content(form, unit), version=version,
                         clear_personal_data=confirmed)
    else:
        edit_note(note=note, editor=current_user, content=_content(form, unit), version=version,
                  submit=action == "submit", confirm_personal_data=confirmed)


@signed_in
def preview():
    """The live preview (htmx): the rendered body and the personal-data warning, from what is typed so far. Writes
    nothing. Without htmx (no browser of ours sends that) it is the new-note editor with its preview."""
    form = NoteForm()
    form.validate()
    if not is_htmx():
        return _render_editor(form, unit_choice(request.form), note=None, preview=True)
    return render_page("practice/edit.html", block="live", form=form, live=True,
                       preview=render_markdown(form.body_source.data), findings=_highlighted(form, _findings(form)))


@signed_in
@load("note_id", Note, can=policies.can_manage, hide=True)
def submit(note: Note):
    with attempt() as outcome:
        send_note(note=note, author=current_user)
    if outcome.ok:
        flash(_saved_message(note), "success")
    return redirect_after_post(url_for("practice.show", note_id=note.id))

