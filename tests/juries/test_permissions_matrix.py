"""Who may do what, at which stage: the whole matrix, and the one door views go through.

The expected table below is written out by hand on purpose. It must not be computed from
`juries.permissions.RULES`: if a rule changes, this test should fail until someone has decided,
here too, that the change is right.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from evidence.models import System
from juries.models import Membership, Role, Stage, Visibility
from juries.permissions import (
    Action,
    allowed,
    get_jury_for,
    get_public_jury,
    may_add_system_without_jury,
    may_edit_system,
)

ROLES = ("facilitator", "juror", "witness", "observer", "oversight", "evaluator")
STAGES = (
    "setup",
    "selection",
    "learning",
    "deliberation",
    "drafting",
    "decision",
    "report",
    "response",
)

# action -> (roles that may do it, stages at which they may). Evaluators read whatever observers
# read, and the evaluation's results and download besides.
EXPECTED = {
    "view_jury": (set(ROLES), set(STAGES)),
    "view_dashboard": ({"facilitator", "observer", "evaluator"}, set(STAGES)),
    "view_member_emails": ({"facilitator"}, set(STAGES)),
    "view_audit_log": ({"facilitator", "observer", "evaluator"}, set(STAGES)),
    "invite_members": ({"facilitator"}, set(STAGES)),
    "remove_members": ({"facilitator"}, set(STAGES)),
    "change_stage": ({"facilitator"}, set(STAGES)),
    "edit_details": ({"facilitator"}, set(STAGES)),
    # The question is fixed once jurors start learning.
    "edit_remit": ({"facilitator"}, {"setup", "selection"}),
    "edit_timeline": ({"facilitator"}, set(STAGES)),
    # Once the oversight body is answering, there is nothing left to meet about.
    "manage_sittings": ({"facilitator"}, set(STAGES) - {"response"}),
    "make_announcements": ({"facilitator"}, set(STAGES)),
    "choose_name_visibility": ({"juror"}, set(STAGES)),
    # Every member chooses how much email they get about the jury, at every stage.
    "choose_emails": (set(ROLES), set(STAGES)),
    "view_evidence": (set(ROLES), set(STAGES)),
    "view_draft_evidence": ({"facilitator", "observer", "evaluator"}, set(STAGES)),
    # Evidence is settled once voting starts.
    "manage_evidence": ({"facilitator"}, set(STAGES) - {"decision", "report", "response"}),
    "view_evidence_balance": ({"facilitator", "observer", "evaluator"}, set(STAGES)),
    "view_reading_progress": ({"facilitator", "observer", "evaluator"}, set(STAGES)),
    # Jurors ask while they learn, deliberate and draft.
    "ask_questions": ({"juror"}, {"learning", "deliberation", "drafting"}),
    "answer_questions": ({"witness"}, set(STAGES)),
    "manage_questions": ({"facilitator"}, set(STAGES)),
    "manage_witnesses": ({"facilitator"}, set(STAGES)),
    "write_witness_statement": ({"witness"}, set(STAGES) - {"decision", "report", "response"}),
    "request_evidence": ({"juror"}, {"learning", "deliberation", "drafting"}),
    "respond_to_requests": ({"facilitator"}, set(STAGES)),
    # Deliberation: witnesses and the oversight body stay outside the jurors' discussions.
    "view_threads": ({"facilitator", "juror", "observer", "evaluator"}, set(STAGES)),
    "post_in_threads": ({"facilitator", "juror"}, set(STAGES) - {"setup", "selection"}),
    "flag_posts": ({"juror"}, set(STAGES) - {"setup", "selection"}),
    "moderate_posts": ({"facilitator"}, set(STAGES)),
    "view_hidden_posts": ({"facilitator", "observer", "evaluator"}, set(STAGES)),
    "view_participation": ({"facilitator", "observer", "evaluator"}, set(STAGES)),
    # Evaluators watch sittings as observers do.
    "join_sitting": ({"facilitator", "juror", "witness", "observer", "evaluator"}, set(STAGES)),
    "take_part_live": ({"juror", "witness"}, set(STAGES) - {"response"}),
    "run_sittings": ({"facilitator"}, set(STAGES) - {"response"}),
    # Recommendations: jurors draft, then vote, in secret; facilitators run it but never vote.
    "view_recommendations": (
        {"facilitator", "juror", "observer", "evaluator"},
        {"drafting", "decision", "report", "response"},
    ),
    "draft_recommendations": ({"juror"}, {"drafting"}),
    "manage_recommendations": ({"facilitator"}, {"drafting"}),
    "manage_vote": ({"facilitator"}, {"drafting", "decision"}),
    "cast_ballot": ({"juror"}, {"decision"}),
    "view_turnout": ({"facilitator", "observer", "evaluator"}, {"decision"}),
    "write_dissent": ({"juror"}, {"decision", "report"}),
    "hide_dissent": ({"facilitator"}, {"drafting", "decision", "report", "response"}),
    "sign_off": ({"juror"}, {"report"}),
    "publish_report": ({"facilitator"}, {"report", "response"}),
    "answer_recommendations": ({"oversight"}, {"response"}),
    # Selection: volunteers' contact details are for facilitators only, in every stage.
    "manage_recruitment": ({"facilitator"}, {"setup", "selection"}),
    "view_volunteers": ({"facilitator"}, set(STAGES)),
    "view_selection": ({"facilitator", "observer", "evaluator"}, set(STAGES)),
    "run_draw": ({"facilitator"}, {"selection"}),
    "replace_jurors": ({"facilitator"}, {"selection", "learning"}),
    # Evaluation: jurors answer from the draw on, without their names; facilitators answer the
    # organisers' questionnaire and run it; results (counts only) for those who read the process.
    "answer_questionnaire": ({"juror"}, set(STAGES) - {"setup"}),
    "answer_organiser_questionnaire": ({"facilitator"}, set(STAGES)),
    "manage_evaluation": ({"facilitator"}, set(STAGES)),
    "view_evaluation_results": ({"facilitator", "observer", "evaluator"}, set(STAGES)),
    "download_evaluation": ({"facilitator", "evaluator"}, set(STAGES)),
}


def expected(role, stage, action):
    roles, stages = EXPECTED[action]
    return role in roles and stage in stages


def test_the_expected_table_covers_every_action():
    assert set(EXPECTED) == {action.value for action in Action}


def test_the_expected_table_knows_every_role_and_stage():
    assert set(ROLES) == {role.value for role in Role}
    assert list(STAGES) == [stage.value for stage in Stage]


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_each_role_may_do_exactly_what_the_table_says(action, stage):
    actual = {role: allowed(role, stage, action) for role in ROLES}
    wanted = {role: expected(role, stage, action) for role in ROLES}
    assert actual == wanted


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_someone_who_is_not_a_member_may_do_nothing(action, stage):
    assert allowed(None, stage, action) is False


def test_facilitator_cannot_edit_the_remit_once_jurors_are_learning():
    assert allowed(Role.FACILITATOR, Stage.SELECTION, Action.EDIT_REMIT)
    assert not allowed(Role.FACILITATOR, Stage.LEARNING, Action.EDIT_REMIT)


def test_juror_cannot_change_the_stage():
    assert not allowed(Role.JUROR, Stage.SETUP, Action.CHANGE_STAGE)


# --- get_jury_for: fetch and authorise in one step -------------------------------------------


def test_facilitator_gets_their_jury_with_what_they_may_do(jury, facilitator):
    access = get_jury_for(facilitator, jury.slug, action=Action.CHANGE_STAGE)

    assert access.jury == jury
    assert access.role == Role.FACILITATOR
    assert access.may[Action.INVITE_MEMBERS] is True
    assert access.may[Action.CHOOSE_NAME_VISIBILITY] is False


def test_every_member_may_view_their_jury(jury, personas):
    for name in ("facilitator", "juror", "witness", "observer", "oversight"):
        assert get_jury_for(personas[name], jury.slug).jury == jury


def test_outsider_is_told_the_jury_does_not_exist(jury, outsider):
    with pytest.raises(Http404):
        get_jury_for(outsider, jury.slug)


def test_anonymous_visitor_is_told_the_jury_does_not_exist(jury):
    with pytest.raises(Http404):
        get_jury_for(AnonymousUser(), jury.slug)


def test_unknown_jury_is_not_found(facilitator):
    with pytest.raises(Http404):
        get_jury_for(facilitator, "no-such-jury")


def test_outsider_cannot_tell_a_private_jury_from_a_missing_one(jury, outsider):
    """Same answer whatever the action, so probing with a privileged action reveals nothing."""
    with pytest.raises(Http404):
        get_jury_for(outsider, jury.slug, action=Action.CHANGE_STAGE)


def test_juror_is_forbidden_the_dashboard(jury, juror):
    with pytest.raises(PermissionDenied):
        get_jury_for(juror, jury.slug, action=Action.VIEW_DASHBOARD)


def test_observer_is_forbidden_to_invite(jury, observer):
    with pytest.raises(PermissionDenied):
        get_jury_for(observer, jury.slug, action=Action.INVITE_MEMBERS)


def test_facilitator_is_forbidden_to_edit_the_remit_at_learning(make_jury, make_person):
    jury = make_jury(slug="learning-jury", stage=Stage.LEARNING)
    fran = make_person("fran@example.org", "Fran")
    Membership.objects.create(jury=jury, user=fran, role=Role.FACILITATOR)

    with pytest.raises(PermissionDenied):
        get_jury_for(fran, jury.slug, action=Action.EDIT_REMIT)


def test_removed_member_is_told_the_jury_does_not_exist(jury, juror):
    Membership.objects.get(jury=jury, user=juror).delete()

    with pytest.raises(Http404):
        get_jury_for(juror, jury.slug)


def test_deactivated_member_is_told_the_jury_does_not_exist(jury, juror):
    juror.is_active = False
    juror.save()

    with pytest.raises(Http404):
        get_jury_for(juror, jury.slug)


def test_member_of_one_jury_cannot_reach_another(make_jury, jury, juror):
    other = make_jury(slug="other-jury")

    with pytest.raises(Http404):
        get_jury_for(juror, other.slug)


# --- get_public_jury: the public page --------------------------------------------------------


def test_hidden_jury_has_no_public_page_for_outsiders(jury, outsider):
    assert jury.visibility == Visibility.HIDDEN
    with pytest.raises(Http404):
        get_public_jury(outsider, jury.slug)


def test_hidden_jury_has_no_public_page_for_anonymous_visitors(jury):
    with pytest.raises(Http404):
        get_public_jury(AnonymousUser(), jury.slug)


def test_members_see_the_public_page_of_their_hidden_jury(jury, juror):
    assert get_public_jury(juror, jury.slug).jury == jury


def test_public_jury_has_a_page_for_everyone(make_jury, outsider):
    jury = make_jury(slug="open-jury", visibility=Visibility.PUBLIC)

    assert get_public_jury(AnonymousUser(), jury.slug).jury == jury
    access = get_public_jury(outsider, jury.slug)
    assert access.jury == jury
    assert access.membership is None
    assert not any(access.may.values())


def test_unknown_jury_has_no_public_page(db):
    with pytest.raises(Http404):
        get_public_jury(AnonymousUser(), "no-such-jury")


# --- Rules about one object: a system's entry in the register --------------------------------

# Written out by hand like the table above: who may change the entry of a system their jury
# reviews. The stage does not matter: the register is not part of the jury's process.
MAY_EDIT_SYSTEM = {
    "facilitator": True,
    "juror": False,
    "witness": False,
    "observer": False,
    "oversight": False,
    "outsider": False,
}


@pytest.fixture
def reviewed_system(jury):
    system = System.objects.create(
        slug="risk-score", name="Risk score", organisation="Council", purpose="To check claims."
    )
    system.juries.add(jury)
    return system


@pytest.mark.parametrize("stage", STAGES)
def test_only_the_reviewing_jurys_facilitators_may_change_a_systems_entry(
    jury, personas, reviewed_system, stage
):
    jury.stage = Stage(stage)
    jury.save()
    for name, person in personas.items():
        assert may_edit_system(person, reviewed_system) is MAY_EDIT_SYSTEM[name], name


def test_a_facilitator_of_another_jury_may_not_change_a_systems_entry(
    make_jury, make_person, reviewed_system
):
    other = make_jury(slug="other-jury")
    stranger = make_person("fay@example.org", "Fay")
    Membership.objects.create(jury=other, user=stranger, role=Role.FACILITATOR)
    assert not may_edit_system(stranger, reviewed_system)
    reviewed_system.juries.add(other)
    assert may_edit_system(stranger, reviewed_system)


def test_staff_may_change_any_entry_and_nobody_signed_out_or_deactivated_may(
    make_person, facilitator, reviewed_system
):
    staff = make_person("stef@example.org", "Stef")
    staff.is_staff = True
    staff.save()
    assert may_edit_system(staff, reviewed_system)
    assert not may_edit_system(AnonymousUser(), reviewed_system)
    facilitator.is_active = False
    facilitator.save()
    assert not may_edit_system(facilitator, reviewed_system)


def test_only_staff_add_a_register_entry_that_no_jury_reviews(make_person, facilitator):
    staff = make_person("stef2@example.org", "Stef")
    staff.is_staff = True
    staff.save()
    assert may_add_system_without_jury(staff)
    assert not may_add_system_without_jury(facilitator)
    assert not may_add_system_without_jury(AnonymousUser())
