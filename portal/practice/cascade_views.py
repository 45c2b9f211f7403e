"""Cascading: feature a note to a unit subtree, point an old note to a newer one, and follow tags and units."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import signed_in
from portal.common.htmx import redirect_after_post, render_page
from portal.common.loading import load
from portal.common.transaction import attempt
from portal.extensions import db
from portal.org.picker import unit_choice
from portal.practice import cascade, policies, queries
from portal.practice.forms import FeatureForm, FollowTagForm, SupersedeForm
from portal.practice.models import Feature, Follow, Note


@signed_in
@load("note_id", Note, can=policies.can_moderate, hide=True)
def feature(note: Note):
    form = FeatureForm()
    unit = unit_choice(request.form if request.method == "POST" else {"unit": str(current_user.unit_id)})
    if request.form.get("action") == "feature" and form.validate_on_submit():
        with attempt(form) as outcome:
            cascade.feature_note(note=note, actor=current_user, unit=unit.unit, until=form.until.data)
        if outcome.ok:
            flash(_("Featured. It shows on the home page of everyone in %(unit)s until %(day)s.",
                    unit=unit.label, day=form.until.data.strftime("%d/%m/%Y")), "success")
            return redirect_after_post(url_for("practice.show", note_id=note.id))
    return render_page("practice/feature.html", form=form, note=note, unit=unit)


@signed_in
@load("feature_id", Feature, can=policies.can_stop_feature, hide=True)
def stop_feature(feature: Feature):
    with attempt() as outcome:
        cascade.stop_feature(feature=feature, actor=current_user)
    if outcome.ok:
        flash(_("It is no longer featured there."), "success")
    return redirect_after_post(url_for("practice.show", note_id=feature.note_id))


@signed_in
@load("note_id", Note, can=policies.can_moderate, hide=True)
def supersede(note: Note):
    form = SupersedeForm()
    words = (request.values.get("q") or "").strip()[:120]
    candidates = queries.newer_candidates(note, words)
    if request.form.get("action") == "supersede" and form.validate_on_submit():
        newer = db.session.get(Note, form.newer.data) if form.newer.data else None
        with attempt(form) as outcome:
            cascade.supersede_note(note=note, actor=current_user, newer=newer)
        if outcome.ok:
            flash(_("Marked as superseded. Readers are sent on to the newer note."), "success")
            return redirect_after_post(url_for("practice.show", note_id=note.id))
    return render_page("practice/supersede.html", form=form, note=note, candidates=candidates, words=words)


@signed_in
def following():
    return render_page("practice/following.html", follows=queries.follows_of(current_user), form=FollowTagForm(),
                       unit=unit_choice(request.args))


@signed_in
def follow():
    """Follow a tag (``tag``) or a unit (the unit picker's ``unit``); the picker's own buttons come back here."""
    form = FollowTagForm()
    unit = unit_choice(request.form)
    action = request.form.get("action")
    if action == "tag" and form.validate_on_submit():
        with attempt(form) as outcome:
            row = cascade.follow(user=current_user, tag=form.tag.data)
        if outcome.ok:
            flash(_("You follow the tag “%(tag)s”. New notes with it come in your weekly round-up.", tag=row.tag),
                  "success")
            return redirect_after_post(url_for("practice.following"))
    elif action == "unit" and unit.unit is not None:
        with attempt() as outcome:
            cascade.follow(user=current_user, unit=unit.unit)
        if outcome.ok:
            flash(_("You follow %(unit)s and everything beneath it.", unit=unit.label), "success")
            return redirect_after_post(url_for("practice.following"))
    elif action == "unit":
        form.form_errors.append(_("Choose a unit to follow"))
    return render_page("practice/following.html", follows=queries.follows_of(current_user), form=form, unit=unit)


@signed_in
@load("follow_id", Follow, can=policies.can_unfollow, hide=True)
def unfollow(follow: Follow):
    with attempt() as outcome:
        cascade.unfollow(follow_row=follow, user=current_user)
    if outcome.ok:
        flash(_("You no longer follow that."), "success")
    return redirect_after_post(url_for("practice.following"))
