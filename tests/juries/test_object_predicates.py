"""Rules about one particular object (whose post, which witness, whose name is on a statement),
beside the role × stage table in `juries.permissions`.

As in the matrix test, every expected answer is written out by hand, one case per person, and
every case asserts: the allowed people and the refused ones are both listed.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from deliberate import threads as thread_service
from deliberate.models import SittingRoom, SmallGroup, SmallGroupMember
from evidence import questions as question_service
from evidence.models import EvidencePack, Question, QuestionState, Witness
from juries.models import Membership, Role, Sitting, Stage
from juries.permissions import (
    access_after,
    access_for,
    has_signed,
    is_author,
    may_be_given_the_floor,
    may_change_post,
    may_flag_post,
    may_post_in,
    may_read_post,
    may_remove_member,
    may_see_pack,
    may_sign_dissent,
    may_write_statement,
    offers_first_publication,
    sees_every_small_group,
    signs_as_juror,
)
from voting import dissent as dissent_service


@pytest.fixture
def people(
    jury, make_person, facilitator, juror, other_juror, witness, observer, oversight, outsider
):
    """The personas, the juror being the author of whatever the test is about."""
    other_witness = make_person("wes@example.org", "Wes")
    Membership.objects.create(jury=jury, user=other_witness, role=Role.WITNESS)
    return {
        "author": juror,
        "other juror": other_juror,
        "facilitator": facilitator,
        "witness": witness,
        "other witness": other_witness,
        "observer": observer,
        "oversight": oversight,
        "outsider": outsider,
    }


def access_of(people, who, jury):
    return access_for(people[who], jury)


def at_stage(jury, stage):
    jury.stage = stage
    jury.save(update_fields=["stage"])
    return jury


def _post(jury, author, state="visible"):
    thread = thread_service.start_thread(jury=jury, title="Scores", body="First.", by=author)
    post = thread.posts.get()
    post.state = state
    post.save(update_fields=["state"])
    return post


# --- Posts -----------------------------------------------------------------------------------

CHANGE_A_SHOWN_POST = {
    "author": True,
    "other juror": False,
    "facilitator": False,
    "witness": False,
    "other witness": False,
    "observer": False,
    "oversight": False,
    "outsider": False,
}


@pytest.mark.parametrize(("who", "expected"), CHANGE_A_SHOWN_POST.items())
def test_only_the_author_changes_or_withdraws_a_shown_post(jury, people, who, expected):
    post = _post(at_stage(jury, Stage.DELIBERATION), people["author"])
    assert may_change_post(access_of(people, who, jury), post) is expected


@pytest.mark.parametrize("state", ["hidden", "withdrawn"])
@pytest.mark.parametrize("who", ["author", "facilitator"])
def test_nobody_changes_a_post_that_is_not_shown(jury, people, who, state):
    post = _post(at_stage(jury, Stage.DELIBERATION), people["author"], state)
    assert may_change_post(access_of(people, who, jury), post) is False


def test_the_author_is_the_author_and_nobody_else_is(jury, people):
    post = _post(at_stage(jury, Stage.DELIBERATION), people["author"])
    assert is_author(access_of(people, "author", jury), post) is True
    assert is_author(access_of(people, "other juror", jury), post) is False
    assert is_author(access_of(people, "outsider", jury), post) is False


# Who reads a post's words, by its state: shown to all, hidden to its author and to those who may
# see hidden posts (facilitators, observers), withdrawn to its author alone.
READ_A_POST = {
    "visible": {
        "author": True,
        "other juror": True,
        "facilitator": True,
        "witness": True,
        "other witness": True,
        "observer": True,
        "oversight": True,
        "outsider": True,
    },
    "hidden": {
        "author": True,
        "other juror": False,
        "facilitator": True,
        "witness": False,
        "other witness": False,
        "observer": True,
        "oversight": False,
        "outsider": False,
    },
    "withdrawn": {
        "author": True,
        "other juror": False,
        "facilitator": False,
        "witness": False,
        "other witness": False,
        "observer": False,
        "oversight": False,
        "outsider": False,
    },
}


@pytest.mark.parametrize(
    ("state", "who", "expected"),
    [(state, who, expected) for state, row in READ_A_POST.items() for who, expected in row.items()],
)
def test_who_reads_a_posts_words(jury, people, state, who, expected):
    post = _post(at_stage(jury, Stage.DELIBERATION), people["author"], state)
    assert may_read_post(access_of(people, who, jury), post) is expected


# Jurors flag posts from learning on, never their own.
FLAG_A_SHOWN_POST = {
    "author": False,
    "other juror": True,
    "facilitator": False,
    "witness": False,
    "other witness": False,
    "observer": False,
    "oversight": False,
    "outsider": False,
}


@pytest.mark.parametrize(("who", "expected"), FLAG_A_SHOWN_POST.items())
def test_another_juror_flags_a_shown_post(jury, people, who, expected):
    post = _post(at_stage(jury, Stage.DELIBERATION), people["author"])
    assert may_flag_post(access_of(people, who, jury), post) is expected


@pytest.mark.parametrize("state", ["hidden", "withdrawn"])
def test_nobody_flags_a_post_that_is_not_shown(jury, people, state):
    post = _post(at_stage(jury, Stage.DELIBERATION), people["author"], state)
    assert may_flag_post(access_of(people, "other juror", jury), post) is False


def test_nobody_flags_a_post_before_the_jury_starts_learning(jury, people):
    post = _post(at_stage(jury, Stage.SELECTION), people["author"])
    assert may_flag_post(access_of(people, "other juror", jury), post) is False


# --- Small groups ------------------------------------------------------------------------------


@pytest.fixture
def group_thread(jury, people):
    """A sitting split into a group of the author alone; its thread, as the room starts it."""
    at_stage(jury, Stage.DELIBERATION)
    start = timezone.now()
    sitting = Sitting.objects.create(
        jury=jury, title="Plenary", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    room = SittingRoom.objects.create(sitting=sitting)
    group = SmallGroup.objects.create(room=room, number=1)
    SmallGroupMember.objects.create(group=group, user=people["author"])
    return thread_service.thread_for(jury=jury, subject=group, title="Group 1", small_group=group)


# While the group meets: its members and the facilitators.
POST_IN_A_MEETING_GROUP = {
    "author": True,  # in the group
    "other juror": False,
    "facilitator": True,
    "witness": False,
    "other witness": False,
    "observer": False,
    "oversight": False,
    "outsider": False,
}


@pytest.mark.parametrize(("who", "expected"), POST_IN_A_MEETING_GROUP.items())
def test_who_posts_in_a_small_groups_thread_while_it_meets(
    jury, people, group_thread, who, expected
):
    assert may_post_in(access_of(people, who, jury), group_thread) is expected


# Once the group has closed, its thread is one of the jury's like any other.
POST_IN_A_CLOSED_GROUP = {
    "author": True,
    "other juror": True,
    "facilitator": True,
    "witness": False,
    "other witness": False,
    "observer": False,
    "oversight": False,
    "outsider": False,
}


@pytest.mark.parametrize(("who", "expected"), POST_IN_A_CLOSED_GROUP.items())
def test_who_posts_in_a_small_groups_thread_once_it_closed(
    jury, people, group_thread, who, expected
):
    group = group_thread.small_group
    group.closed_at = timezone.now()
    group.save(update_fields=["closed_at"])
    assert may_post_in(access_of(people, who, jury), group_thread) is expected


def test_nobody_posts_in_a_group_thread_before_the_jury_starts_learning(jury, people, group_thread):
    at_stage(jury, Stage.SELECTION)
    assert may_post_in(access_of(people, "author", jury), group_thread) is False
    assert may_post_in(access_of(people, "facilitator", jury), group_thread) is False


SEE_EVERY_GROUP = {
    "author": False,
    "other juror": False,
    "facilitator": True,
    "witness": False,
    "other witness": False,
    "observer": True,
    "oversight": False,
    "outsider": False,
}


@pytest.mark.parametrize(("who", "expected"), SEE_EVERY_GROUP.items())
def test_facilitators_and_observers_see_every_small_group(jury, people, who, expected):
    assert sees_every_small_group(access_of(people, who, jury)) is expected


GIVEN_THE_FLOOR = {
    "author": True,
    "other juror": True,
    "facilitator": True,
    "witness": True,
    "other witness": True,
    "observer": False,
    "oversight": True,
    "outsider": False,
}


@pytest.mark.parametrize(("who", "expected"), GIVEN_THE_FLOOR.items())
def test_anyone_taking_part_but_observers_may_be_given_the_floor(jury, people, who, expected):
    membership = Membership.objects.filter(jury=jury, user=people[who]).first()
    assert may_be_given_the_floor(membership) is expected


# --- Evidence ----------------------------------------------------------------------------------

# A pack not yet published: only those who may see drafts (and what is about its items).
SEE_A_DRAFT_PACK = {
    "author": False,
    "other juror": False,
    "facilitator": True,
    "witness": False,
    "other witness": False,
    "observer": True,
    "oversight": False,
    "outsider": False,
}


@pytest.mark.parametrize(("who", "expected"), SEE_A_DRAFT_PACK.items())
def test_only_facilitators_and_observers_see_a_draft_pack(jury, people, who, expected):
    pack = EvidencePack.objects.create(jury=jury, title="Background")
    assert may_see_pack(access_of(people, who, jury), pack) is expected


@pytest.mark.parametrize("who", ["author", "witness", "oversight", "facilitator"])
def test_members_see_a_published_pack(jury, people, who):
    pack = EvidencePack.objects.create(jury=jury, title="Background", published_at=timezone.now())
    assert may_see_pack(access_of(people, who, jury), pack) is True


@pytest.fixture
def profile(jury, people):
    """The witness's profile, linked to their account."""
    return Witness.objects.create(
        jury=jury, name="Wren", role="Statistician", standpoint="expert", user=people["witness"]
    )


WRITE_OWN_STATEMENT = {
    "author": False,
    "other juror": False,
    "facilitator": False,  # facilitators edit the whole profile instead (Action.MANAGE_WITNESSES)
    "witness": True,
    "other witness": False,
    "observer": False,
    "oversight": False,
    "outsider": False,
}


@pytest.mark.parametrize(("who", "expected"), WRITE_OWN_STATEMENT.items())
def test_a_witness_writes_their_own_statement_only(jury, people, profile, who, expected):
    assert may_write_statement(access_of(people, who, jury), profile) is expected


def test_a_profile_without_an_account_is_nobodys_to_write(jury, people):
    profile = Witness.objects.create(
        jury=jury, name="Dr Lee", role="Statistician", standpoint="expert"
    )
    assert may_write_statement(access_of(people, "witness", jury), profile) is False
    assert may_write_statement(access_of(people, "outsider", jury), profile) is False


def test_a_witness_no_longer_writes_their_statement_once_the_jury_votes(jury, people, profile):
    at_stage(jury, Stage.DECISION)
    assert may_write_statement(access_of(people, "witness", jury), profile) is False


def _question(jury, people, witness=None, state=QuestionState.OPEN):
    return Question.objects.create(
        jury=jury, asked_by=people["author"], text="Who checks?", witness=witness, state=state
    )


ANSWER_A_QUESTION_PUT_TO_THE_WITNESS = {
    "author": False,
    "other juror": False,
    "facilitator": False,
    "witness": True,
    "other witness": False,
    "observer": False,
    "oversight": False,
    "outsider": False,
}


@pytest.mark.parametrize(("who", "expected"), ANSWER_A_QUESTION_PUT_TO_THE_WITNESS.items())
def test_a_question_put_to_a_witness_is_answered_by_that_witness_alone(
    jury, people, profile, who, expected
):
    question = _question(at_stage(jury, Stage.LEARNING), people, witness=profile)
    assert question_service.may_answer(access_of(people, who, jury), question) is expected


ANSWER_A_QUESTION_PUT_TO_ANYONE = {
    "author": False,
    "other juror": False,
    "facilitator": False,
    "witness": True,
    "other witness": True,
    "observer": False,
    "oversight": False,
    "outsider": False,
}


@pytest.mark.parametrize(("who", "expected"), ANSWER_A_QUESTION_PUT_TO_ANYONE.items())
def test_a_question_put_to_whoever_can_answer_is_answered_by_any_witness(
    jury, people, who, expected
):
    question = _question(at_stage(jury, Stage.LEARNING), people)
    assert question_service.may_answer(access_of(people, who, jury), question) is expected


def test_nobody_answers_a_merged_question(jury, people):
    question = _question(at_stage(jury, Stage.LEARNING), people, state=QuestionState.MERGED)
    assert question_service.may_answer(access_of(people, "witness", jury), question) is False


SUPPORT_AN_OPEN_QUESTION = {
    "author": False,  # they asked it: their support is counted already
    "other juror": True,
    "facilitator": False,
    "witness": False,
    "other witness": False,
    "observer": False,
    "oversight": False,
    "outsider": False,
}


@pytest.mark.parametrize(("who", "expected"), SUPPORT_AN_OPEN_QUESTION.items())
def test_another_juror_supports_an_open_question(jury, people, who, expected):
    question = _question(at_stage(jury, Stage.LEARNING), people)
    assert question_service.may_support(access_of(people, who, jury), question) is expected


@pytest.mark.parametrize("state", [QuestionState.ANSWERED, QuestionState.MERGED])
def test_nobody_supports_a_question_no_longer_waiting(jury, people, state):
    question = _question(at_stage(jury, Stage.LEARNING), people, state=state)
    assert question_service.may_support(access_of(people, "other juror", jury), question) is False


# --- Dissent and the report --------------------------------------------------------------------

SIGNS_AS_JUROR = {
    "author": True,
    "other juror": True,
    "facilitator": False,
    "witness": False,
    "other witness": False,
    "observer": False,
    "oversight": False,
    "outsider": False,
}


@pytest.mark.parametrize(("who", "expected"), SIGNS_AS_JUROR.items())
def test_only_jurors_put_their_names_to_dissent(jury, people, who, expected):
    assert signs_as_juror(access_of(people, who, jury)) is expected


@pytest.fixture
def statement(jury, people):
    """A statement of dissent the author wrote and signed alone, while the jury decides."""
    at_stage(jury, Stage.DECISION)
    return dissent_service.write_dissent(jury, people["author"], "We disagree.")


# The author's is the only name: it stays. Another juror may add theirs.
SIGN_A_STATEMENT_WITH_ONE_NAME = {
    "author": False,
    "other juror": True,
    "facilitator": False,
    "witness": False,
    "other witness": False,
    "observer": False,
    "oversight": False,
    "outsider": False,
}


@pytest.mark.parametrize(("who", "expected"), SIGN_A_STATEMENT_WITH_ONE_NAME.items())
def test_who_may_add_or_take_off_a_name_on_a_statement_with_one_name(
    jury, people, statement, who, expected
):
    assert may_sign_dissent(access_of(people, who, jury), statement) is expected


def test_the_first_signer_may_take_their_name_off_once_another_has_signed(jury, people, statement):
    dissent_service.add_signature(statement, people["other juror"])
    assert may_sign_dissent(access_of(people, "author", jury), statement) is True
    assert may_sign_dissent(access_of(people, "other juror", jury), statement) is True


def test_nobody_signs_a_hidden_statement(jury, people, statement):
    dissent_service.hide_dissent(statement, people["facilitator"], "A legal reason.")
    assert may_sign_dissent(access_of(people, "other juror", jury), statement) is False


def test_nobody_signs_once_the_report_stage_is_over(jury, people, statement):
    at_stage(jury, Stage.RESPONSE)
    assert may_sign_dissent(access_of(people, "other juror", jury), statement) is False


def test_signers_have_signed_and_others_have_not(jury, people, statement):
    assert has_signed(access_of(people, "author", jury), statement) is True
    assert has_signed(access_of(people, "other juror", jury), statement) is False
    assert has_signed(access_of(people, "outsider", jury), statement) is False


# The draft report offers to publish it to facilitators at the report stage only.
OFFERS_FIRST_PUBLICATION = {
    ("facilitator", Stage.REPORT): True,
    ("facilitator", Stage.DECISION): False,
    ("facilitator", Stage.RESPONSE): False,
    ("author", Stage.REPORT): False,
    ("observer", Stage.REPORT): False,
    ("oversight", Stage.REPORT): False,
    ("outsider", Stage.REPORT): False,
}


@pytest.mark.parametrize(("case", "expected"), OFFERS_FIRST_PUBLICATION.items())
def test_the_draft_report_offers_publication_to_facilitators_at_the_report_stage(
    jury, people, case, expected
):
    who, stage = case
    at_stage(jury, stage)
    assert offers_first_publication(access_of(people, who, jury)) is expected


# --- Members -----------------------------------------------------------------------------------

# Removing the juror's membership: facilitators may; the juror may not remove themself (nor
# anyone else, having no Action.REMOVE_MEMBERS).
REMOVE_THE_JUROR = {
    "author": False,
    "other juror": False,
    "facilitator": True,
    "witness": False,
    "other witness": False,
    "observer": False,
    "oversight": False,
    "outsider": False,
}


@pytest.mark.parametrize(("who", "expected"), REMOVE_THE_JUROR.items())
def test_who_may_remove_a_juror(jury, people, who, expected):
    membership = Membership.objects.get(jury=jury, user=people["author"])
    assert may_remove_member(access_of(people, who, jury), membership) is expected


def test_a_facilitator_may_not_remove_themself(jury, people):
    membership = Membership.objects.get(jury=jury, user=people["facilitator"])
    assert may_remove_member(access_of(people, "facilitator", jury), membership) is False


# --- The live connection's access ----------------------------------------------------------------


def test_an_access_follows_the_jury_to_a_new_stage_without_the_database(
    jury, people, django_assert_num_queries
):
    access = access_of(people, "author", at_stage(jury, Stage.DELIBERATION))
    with django_assert_num_queries(0):
        later = access_after(access, stage="decision", role="juror")
    assert later.may["cast_ballot"] is True
    assert later.may["post_in_threads"] is True
    assert access.may["cast_ballot"] is False  # the earlier access is left as it was


def test_an_access_follows_a_change_of_role(jury, people):
    access = access_of(people, "author", at_stage(jury, Stage.DELIBERATION))
    later = access_after(access, stage="deliberation", role="observer")
    assert later.role == Role.OBSERVER
    assert later.may["post_in_threads"] is False
    assert later.may["view_hidden_posts"] is True
    assert sees_every_small_group(later) is True


def test_an_access_ends_with_the_membership(jury, people):
    access = access_of(people, "author", at_stage(jury, Stage.DELIBERATION))
    later = access_after(access, stage="deliberation", role=None)
    assert later.role is None
    assert later.person_id is None
    assert not any(later.may.values())
