"""The champions' moderation queue and their decisions. Every decision is one service call; a champion who loses a
race to another sees who decided and when. Quick decisions taken in the queue itself (keep a comment, keep a note,
re-verify) answer htmx with the item's outcome and the header badge's new count (an out-of-band swap)."""

from __future__ import annotations

from flask import current_app, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import role_required, signed_in
from portal.common.htmx import is_htmx, redirect_after_post, render_page
from portal.common.loading import load
from portal.common.roles import Role
from portal.common.transaction import attempt
from portal.practice import cascade, moderation, personal_data, policies, queries
from portal.practice.diffing import diff_fields
from portal.practice.forms import ApproveForm, ReasonForm
from portal.practice.models import Note, PracticeComment
from portal.practice.services import revision_texts
from portal.practice.views import FIELD_LABELS


@role_required(Role.CHAMPION)
def review():
    size = current_app.config["PAGE_SIZE"]
    lists = queries.queue_lists(current_user, size=size)
    reports = queries.open_comment_reports([c.id for c in lists["comments"]])
    return render_page("practice/review.html", lists=lists, reports=reports,
                       thanks=queries.reported_thanks(current_user, size=size),
                       to_share=queries.thanks_to_share(current_user, size=10))


def _diff(note: Note):
    latest = queries.latest_revision(note)
    compared = queries.compared_revision(note, latest)
    labels = {name: _(label) for name, label in FIELD_LABELS.items()}
    return compared, diff_fields(revision_texts(compared), revision_texts(latest), labels)


def _findings(note: Note):
    shown = []
    for name, label in FIELD_LABELS.items():
        mine = [f for f in note.personal_data or [] if f["field"] == name]
        if mine:
            text = ", ".join(note.tags) if name == "tags" else getattr(note, name)
            shown.append((_(label), personal_data.highlight(text, mine),
                          [personal_data.Finding(**f) for f in mine]))
    return shown


def render_review(note: Note, approve_form: ApproveForm | None = None, status_code: int = 200):
    compared, diffs = _diff(note)
    return render_page("practice/review_note.html", note=note, compared=compared, diffs=diffs,
                       findings=_findings(note), flags=queries.open_flags(note),
                       approve_form=approve_form or ApproveForm(), status_code=status_code)


@signed_in
@load("note_id", Note, can=policies.can_see_review, hide=True)
def review_note(note: Note):
    return render_review(note)


def _after(message: str, *, target: str | None = None):
    """Done: in the queue (htmx), replace the item with what happened and update the badge; else go back."""
    if is_htmx() and (request.headers.get("HX-Target") or "").startswith("queue-item-"):
        return render_template("practice/_queue_done.html", message=message,
                               practice_queue_count=queries.queue_count(current_user))
    flash(message, "success")
    return redirect_after_post(target or url_for("practice.review"))


def _refused(note: Note | None = None):
    """A refusal the service explained (flashed by ``attempt``): back to where the champion was."""
    target = url_for("practice.review_note", note_id=note.id) if note is not None else url_for("practice.review")
    return redirect_after_post(target)


@signed_in
@load("note_id", Note, can=policies.can_moderate, hide=True)
def approve(note: Note):
    form = ApproveForm()
    if not form.validate_on_submit():
        return render_review(note, form)
    with attempt(form) as outcome:
        moderation.approve_note(note=note, actor=current_user, clear_personal_data=bool(form.clear_personal_data.data))
    if outcome.ok:
        return _after(_("Published. The author has been told."))
    return render_review(note, form)


def _reason_page(note: Note, *, mode: str, service, done: str, comment: PracticeComment | None = None):
    form = ReasonForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            if comment is not None:
                service(comment=comment, actor=current_user, reason=form.reason.data)
            else:
                service(note=note, actor=current_user, reason=form.reason.data)
        if outcome.ok:
            return _after(done)
    return render_page("practice/reason.html", form=form, note=note, comment=comment, mode=mode)


@signed_in
@load("note_id", Note, can=policies.can_moderate, hide=True)
def request_changes(note: Note):
    return _reason_page(note, mode="changes", service=moderation.request_changes,
                        done=_("Sent back to the author with your reason."))


@signed_in
@load("note_id", Note, can=policies.can_moderate, hide=True)
def reject(note: Note):
    return _reason_page(note, mode="reject", service=moderation.reject_note,
                        done=_("Not published. The author has been told why."))


@signed_in
@load("note_id", Note, can=policies.can_moderate, hide=True)
def hide(note: Note):
    return _reason_page(note, mode="hide", service=moderation.hide_note,
                        done=_("Hidden. The author has been told why."))


@signed_in
@load("note_id", Note, can=policies.can_moderate, hide=True)
def archive(note: Note):
    return _reason_page(note, mode="archive", service=cascade.archive_note,
                        done=_("Archived. It stays readable by its link, with a banner."))


@signed_in
@load("comment_id", PracticeComment, can=policies.can_moderate_comment, hide=True)
def hide_comment(comment: PracticeComment):
    return _reason_page(comment.note, mode="hide_comment", service=moderation.hide_comment, comment=comment,
                        done=_("Comment hidden. Its author has been told why."))


def _step(note: Note, action, message: str):
    with attempt() as outcome:
        action(note=note, actor=current_user)
    if outcome.ok:
        return _after(message, target=url_for("practice.review_note", note_id=note.id))
    return _refused(note)


@signed_in
@load("note_id", Note, can=policies.can_moderate, hide=True)
def keep(note: Note):
    return _step(note, moderation.keep_note, _("Kept up. Its flags are closed."))


@signed_in
@load("note_id", Note, can=policies.can_moderate, hide=True)
def clear_personal_data(note: Note):
    return _step(note, moderation.clear_personal_data, _("The personal-data warning is cleared."))


@signed_in
@load("note_id", Note, can=policies.can_moderate, hide=True)
def reverify(note: Note):
    return _step(note, cascade.reverify_note, _("Re-verified. It will come back for review in a year."))


@signed_in
@load("comment_id", PracticeComment, can=policies.can_moderate_comment, hide=True)
def keep_comment(comment: PracticeComment):
    with attempt() as outcome:
        moderation.keep_comment(comment=comment, actor=current_user)
    if outcome.ok:
        return _after(_("The comment stays up. Its reports are closed."))
    return _refused()
