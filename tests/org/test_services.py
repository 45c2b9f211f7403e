"""The unit tree: creating, finding, renaming and moving units (``update_unit``, as the admin unit page does), and
reading subtrees."""

import pytest
from sqlalchemy import select

from portal.common.audit import AuditEvent
from portal.common.errors import Conflict, DomainError
from portal.extensions import db
from portal.org.models import Unit
from portal.org.queries import (
    labels_for,
    people_count_by_unit,
    subtree_unit_ids,
    unit_labels,
    unit_tree,
)
from portal.org.services import (
    create_unit,
    ensure_unit_path,
    split_unit_path,
    update_unit,
)
from tests.factories import UnitFactory, UserFactory
from tests.org.units import find_unit_by_path

pytestmark = pytest.mark.usefixtures("app_ctx")


def _reload(unit: Unit) -> Unit:
    db.session.expire_all()
    return db.session.get(Unit, unit.id)


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _subtree_names(unit: Unit) -> set[str]:
    return set(db.session.scalars(select(Unit.name).where(Unit.id.in_(subtree_unit_ids(unit)))))


# --- creating and finding ------------------------------------------------------------------------------------

def test_create_unit_builds_the_path_from_the_root():
    trust = create_unit(name="Trust", parent=None)
    pals = create_unit(name="PALS", parent=trust)
    assert trust.path == f"/{trust.id}/"
    assert pals.path == f"/{trust.id}/{pals.id}/"
    assert (trust.depth, pals.depth) == (0, 1)
    assert pals.ancestor_ids == [trust.id]


def test_create_unit_is_audited():
    actor = UserFactory()
    trust = create_unit(name="Trust", parent=None, actor=actor)
    [event] = [e for e in _events("unit.created") if e.target_id == str(trust.id)]
    assert (event.actor_id, event.target_type, event.target_id) == (actor.id, "unit", str(trust.id))
    assert event.details == {"name": "Trust"}


def test_sibling_names_are_unique_ignoring_case():
    trust = create_unit(name="Trust", parent=None)
    create_unit(name="PALS", parent=trust)
    with pytest.raises(Conflict) as caught:
        create_unit(name="  pals ", parent=trust)
    assert caught.value.field == "name"
    # The same name elsewhere in the tree is fine.
    other = create_unit(name="Other trust", parent=None)
    assert create_unit(name="PALS", parent=other).name == "PALS"


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_create_unit_refuses_bad_names(name):
    with pytest.raises(DomainError) as caught:
        create_unit(name=name, parent=None)
    assert caught.value.field == "name"


def test_ensure_unit_path_creates_missing_units_once():
    team = ensure_unit_path("Trust/PALS/North team")
    assert [u.name for u in db.session.scalars(select(Unit).order_by(Unit.path))] == ["Trust", "PALS", "North team"]
    again = ensure_unit_path(" /trust/ pals /NORTH TEAM/ ")
    assert again.id == team.id
    assert db.session.scalar(select(db.func.count()).select_from(Unit)) == 3
    south = ensure_unit_path("Trust/PALS/South team")
    assert south.parent_id == team.parent_id


def test_names_match_ignoring_case_beyond_ascii():
    team = ensure_unit_path("Trust/Équipe nord")
    assert ensure_unit_path("trust/ÉQUIPE NORD").id == team.id
    assert db.session.scalar(select(db.func.count()).select_from(Unit)) == 2


@pytest.mark.parametrize(("text", "message"), [("", "names separated by /"), ("  ", "names separated by /"),
                                               ("Trust//PALS", "names separated by /"), ("/", "names separated by /"),
                                               ("Trust/" + "x" * 121, "120 characters or fewer")])
def test_split_unit_path_refuses_empty_and_overlong_parts(text, message):
    with pytest.raises(DomainError) as caught:
        split_unit_path(text)
    assert message in caught.value.message


# --- renaming and moving ---------------------------------------------------------------------------------------

def rename(unit: Unit, name: str, actor=None) -> list[str]:
    return update_unit(unit=unit, name=name, new_parent=unit.parent, actor=actor)


def move(unit: Unit, new_parent: Unit | None) -> list[str]:
    return update_unit(unit=unit, name=unit.name, new_parent=new_parent, actor=None)


def test_renaming_keeps_the_path_and_is_audited():
    actor = UserFactory()
    team = ensure_unit_path("Trust/PALS/North team")
    path = team.path
    assert rename(team, "North and East team", actor) == ["name"]
    team = _reload(team)
    assert (team.name, team.path) == ("North and East team", path)
    [event] = _events("unit.renamed")
    assert (event.actor_id, event.details) == (actor.id, {"old_name": "North team", "name": "North and East team"})
    assert _events("unit.moved") == []


def test_renaming_refuses_a_sibling_name_but_allows_a_change_of_case():
    north = ensure_unit_path("Trust/PALS/North team")
    ensure_unit_path("Trust/PALS/South team")
    with pytest.raises(Conflict):
        rename(north, "south team")
    assert rename(north, "NORTH team") == ["name"]
    assert _reload(north).name == "NORTH team"


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_renaming_refuses_bad_names(name):
    north = ensure_unit_path("Trust/PALS/North team")
    with pytest.raises(DomainError) as caught:
        rename(north, name)
    assert caught.value.field == "name"
    assert _reload(north).name == "North team"


def test_moving_a_unit_rewrites_the_paths_of_its_whole_subtree():
    trust = UnitFactory(name="Trust")
    pals = UnitFactory(name="PALS", parent=trust)
    north = UnitFactory(name="North team", parent=pals)
    night = UnitFactory(name="Night shift", parent=north)
    experience = UnitFactory(name="Patient experience", parent=trust)
    bystander = UnitFactory(name="Complaints", parent=pals)

    assert move(north, experience) == ["parent"]

    north, night, bystander = _reload(north), _reload(night), _reload(bystander)
    assert north.parent_id == experience.id
    assert north.path == f"/{trust.id}/{experience.id}/{north.id}/"
    assert night.path == f"/{trust.id}/{experience.id}/{north.id}/{night.id}/"
    assert night.ancestor_ids == [trust.id, experience.id, north.id]
    assert bystander.path == f"/{trust.id}/{pals.id}/{bystander.id}/"
    assert _subtree_names(_reload(experience)) == {"Patient experience", "North team", "Night shift"}
    assert _subtree_names(_reload(pals)) == {"PALS", "Complaints"}
    [event] = _events("unit.moved")
    assert event.details == {"old_parent_id": pals.id, "new_parent_id": experience.id}


def test_a_unit_can_become_a_root_and_move_back():
    north = ensure_unit_path("Trust/PALS/North team")
    night = ensure_unit_path("Trust/PALS/North team/Night shift")
    pals_id = north.parent_id
    move(north, None)
    assert _reload(night).path == f"/{north.id}/{night.id}/"
    assert _reload(north).depth == 0
    move(_reload(north), db.session.get(Unit, pals_id))
    assert find_unit_by_path("Trust/PALS/North team/Night shift").id == night.id


@pytest.mark.parametrize("target", ["itself", "child", "grandchild"])
def test_a_unit_cannot_move_into_its_own_subtree(target):
    pals = ensure_unit_path("Trust/PALS")
    child = ensure_unit_path("Trust/PALS/North team")
    grandchild = ensure_unit_path("Trust/PALS/North team/Night shift")
    new_parent = {"itself": pals, "child": child, "grandchild": grandchild}[target]
    path = pals.path
    with pytest.raises(DomainError) as caught:
        move(pals, new_parent)
    assert caught.value.field == "parent_id"
    assert _reload(pals).path == path
    assert _events("unit.moved") == []


def test_moving_refuses_a_name_taken_in_the_new_place():
    north = ensure_unit_path("Trust/PALS/North team")
    ensure_unit_path("Trust/Complaints/North team")
    with pytest.raises(Conflict):
        move(north, find_unit_by_path("Trust/Complaints"))
    assert _reload(north).path == ensure_unit_path("Trust/PALS").path + f"{north.id}/"


def test_update_unit_renames_and_moves_in_one_go():
    north = ensure_unit_path("Trust/PALS/North team")
    ensure_unit_path("Trust/PALS/East team")
    experience = ensure_unit_path("Trust/Patient experience")
    # "East team" is taken where the unit is now, but free where it is going.
    changed = update_unit(unit=north, name="East team", new_parent=experience, actor=None)
    assert changed == ["name", "parent"]
    assert find_unit_by_path("Trust/Patient experience/East team").id == north.id
    assert [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.target_id == str(north.id))
                                                 .order_by(AuditEvent.id))] == ["unit.created", "unit.renamed",
                                                                                 "unit.moved"]


def test_update_unit_with_nothing_changed_writes_nothing():
    north = ensure_unit_path("Trust/PALS/North team")
    assert update_unit(unit=north, name=" North team ", new_parent=north.parent, actor=None) == []
    assert _events("unit.renamed") == _events("unit.moved") == []


def test_update_unit_can_move_next_to_a_namesake_while_renaming():
    north = ensure_unit_path("Trust/PALS/North team")
    complaints = ensure_unit_path("Trust/Complaints")
    ensure_unit_path("Trust/Complaints/North team")
    update_unit(unit=north, name="North team (PALS)", new_parent=complaints, actor=None)
    assert find_unit_by_path("Trust/Complaints/North team (PALS)").id == north.id


def test_update_unit_checks_the_name_against_the_new_siblings():
    north = ensure_unit_path("Trust/PALS/North team")
    ensure_unit_path("Trust/Complaints/Front desk")
    with pytest.raises(Conflict) as caught:
        update_unit(unit=north, name="front desk", new_parent=find_unit_by_path("Trust/Complaints"), actor=None)
    assert caught.value.field == "name"
    assert _reload(north).name == "North team"


def test_update_unit_refuses_a_loop_before_renaming():
    pals = ensure_unit_path("Trust/PALS")
    child = ensure_unit_path("Trust/PALS/North team")
    with pytest.raises(DomainError):
        update_unit(unit=pals, name="Advice", new_parent=child, actor=None)
    assert _reload(pals).name == "PALS"


# --- reading the tree ----------------------------------------------------------------------------------------

def test_subtree_is_the_unit_and_everything_beneath_it():
    trust = ensure_unit_path("Trust")
    ensure_unit_path("Trust/PALS/North team/Night shift")
    ensure_unit_path("Trust/PALS/South team")
    ensure_unit_path("Trust/Complaints")
    ensure_unit_path("Council/Customer services")
    for n in range(12):  # enough ids that some share leading digits with the others
        ensure_unit_path(f"Council/Office {n}")
    assert _subtree_names(find_unit_by_path("Trust/PALS")) == {"PALS", "North team", "Night shift", "South team"}
    assert len(_subtree_names(trust)) == 6
    assert _subtree_names(find_unit_by_path("Trust/PALS/South team")) == {"South team"}


def test_unit_tree_counts_active_people_directly_in_each_unit(count_queries):
    north = ensure_unit_path("Trust/PALS/North team")
    pals = find_unit_by_path("Trust/PALS")
    UserFactory.create_batch(3, unit=north)
    UserFactory(unit=north, is_active_account=False)
    UserFactory(unit=pals)
    with count_queries() as counter:
        [trust] = unit_tree(with_counts=True)
    assert counter.count == 2
    [pals_node] = trust.children
    [north_node] = pals_node.children
    assert (trust.people, pals_node.people, north_node.people) == (0, 1, 3)
    assert people_count_by_unit() == {north.id: 3, pals.id: 1}


def test_labels_name_each_unit_by_its_path():
    north = ensure_unit_path("Trust/PALS/North team")
    ensure_unit_path("Trust/Complaints")
    assert list(unit_labels().values()) == ["Trust", "Trust / Complaints", "Trust / PALS",
                                            "Trust / PALS / North team"]
    assert labels_for([north]) == {north.id: "Trust / PALS / North team"}
