"""The one place that answers "may this person do this to this jury now?".

A person's rights come from their single role in a jury plus the jury's stage. Views ask through
`get_jury_for()` (fetch and authorise in one step); the WebSocket consumer gets its `JuryAccess`
from the same function when it connects and asks it for every event it forwards. Templates read
the `may` mapping of a `JuryAccess` and never re-implement a rule.

Rules about one particular object (whose post, which witness, whose name is on a statement) are
the named predicates at the end of this module, each built from a `JuryAccess` and the object.
The objects belong to apps built on this one, so they are only ever duck-typed here.

Unknown or private juries raise 404 for people who are not members, so nobody learns that a
private jury exists; members who may see a jury but not do something get 403.
"""

import copy
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Jury, Membership, Role, Stage

ALL_STAGES = frozenset(Stage)
ALL_ROLES = frozenset(Role)
BEFORE_LEARNING = frozenset({Stage.SETUP, Stage.SELECTION})
UNTIL_REPORT = ALL_STAGES - {Stage.RESPONSE}
AFTER_DRAFTING = frozenset({Stage.DECISION, Stage.REPORT, Stage.RESPONSE})
# Jurors put questions and ask for evidence while they learn, deliberate and draft.
QUESTION_TIME = frozenset({Stage.LEARNING, Stage.DELIBERATION, Stage.DRAFTING})
# Jurors talk from the time they start learning; their threads stay open for the oversight answers.
TALKING_TIME = ALL_STAGES - BEFORE_LEARNING
# Recommendations exist from drafting on. Oversight members read them in the published report and
# answer them on their own pages, not in the jury's working pages.
RECOMMENDATION_TIME = frozenset({Stage.DRAFTING, Stage.DECISION, Stage.REPORT, Stage.RESPONSE})
DRAFTING = frozenset({Stage.DRAFTING})
DECIDING = frozenset({Stage.DECISION})
# Dissent can be written while the jury votes and while the report is checked before publication.
DISSENT_TIME = frozenset({Stage.DECISION, Stage.REPORT})
# Those who read the jury's working without taking part: observers, and evaluators (who also read
# and download the evaluation's anonymous answers).
WATCHERS = frozenset({Role.OBSERVER, Role.EVALUATOR})
INSIDERS = frozenset({Role.FACILITATOR, Role.JUROR}) | WATCHERS
FACILITATORS_AND_WATCHERS = frozenset({Role.FACILITATOR}) | WATCHERS
# The evaluation's results (counts, never a person's answers).
EVALUATION_READERS = FACILITATORS_AND_WATCHERS


class Action(StrEnum):
    VIEW_JURY = "view_jury"  # the jury's member pages: home, sittings, members' display names
    VIEW_DASHBOARD = "view_dashboard"  # the facilitators' dashboard (observers read it)
    VIEW_MEMBER_EMAILS = "view_member_emails"
    VIEW_AUDIT_LOG = "view_audit_log"
    INVITE_MEMBERS = "invite_members"  # invite, resend and withdraw invitations
    REMOVE_MEMBERS = "remove_members"
    CHANGE_STAGE = "change_stage"
    EDIT_DETAILS = "edit_details"  # title, oversight body, public visibility, help contact
    EDIT_REMIT = "edit_remit"  # the question is fixed once jurors start learning
    EDIT_TIMELINE = "edit_timeline"
    MANAGE_SITTINGS = "manage_sittings"
    MAKE_ANNOUNCEMENTS = "make_announcements"  # write to every member, or to jurors only
    CHOOSE_NAME_VISIBILITY = "choose_name_visibility"
    CHOOSE_EMAILS = "choose_emails"  # how much email one gets about the jury: every member
    VIEW_EVIDENCE = "view_evidence"  # the published packs and their items, members-only included
    VIEW_DRAFT_EVIDENCE = "view_draft_evidence"  # packs not yet published to jurors
    MANAGE_EVIDENCE = "manage_evidence"  # add and edit packs and items
    VIEW_EVIDENCE_BALANCE = "view_evidence_balance"  # the pack split by standpoint
    VIEW_READING_PROGRESS = "view_reading_progress"  # who may need help, never a league table
    ASK_QUESTIONS = "ask_questions"  # ask a witness, support another juror's question
    ANSWER_QUESTIONS = "answer_questions"  # witnesses, for questions put to them or to anyone
    MANAGE_QUESTIONS = "manage_questions"  # assign to a witness, merge duplicates
    MANAGE_WITNESSES = "manage_witnesses"
    WRITE_WITNESS_STATEMENT = "write_witness_statement"  # a witness's own statement
    REQUEST_EVIDENCE = "request_evidence"  # ask for more evidence or another witness
    RESPOND_TO_REQUESTS = "respond_to_requests"
    VIEW_THREADS = "view_threads"  # the jury's discussions (witnesses and oversight stay outside)
    POST_IN_THREADS = "post_in_threads"  # start threads, post and reply
    FLAG_POSTS = "flag_posts"  # ask the facilitators to look at a post
    MODERATE_POSTS = "moderate_posts"  # hide and restore posts, with a reason
    VIEW_HIDDEN_POSTS = "view_hidden_posts"  # a hidden post's words, beside the reason
    VIEW_PARTICIPATION = "view_participation"  # who is quiet and may need a call; not a ranking
    JOIN_SITTING = "join_sitting"  # the live room of a sitting
    TAKE_PART_LIVE = "take_part_live"  # raise a hand, answer a quick poll
    RUN_SITTINGS = "run_sittings"  # the live room's controls: clock, floor, groups, polls
    VIEW_RECOMMENDATIONS = "view_recommendations"  # drafts, revisions, amendments, results
    DRAFT_RECOMMENDATIONS = "draft_recommendations"  # propose, revise, cite, propose amendments
    MANAGE_RECOMMENDATIONS = "manage_recommendations"  # themes, merging, deciding amendments
    MANAGE_VOTE = "manage_vote"  # set the rules, open and close the vote and the ranking
    CAST_BALLOT = "cast_ballot"  # vote on recommendations, rank them by priority
    VIEW_TURNOUT = "view_turnout"  # how many have voted: never who voted how
    WRITE_DISSENT = "write_dissent"  # write or put one's name to a statement of dissent
    HIDE_DISSENT = "hide_dissent"  # only for a stated legal reason, recorded
    SIGN_OFF = "sign_off"  # confirm the final text or object to it
    PUBLISH_REPORT = "publish_report"  # publish the report, or a correction with a reason
    ANSWER_RECOMMENDATIONS = "answer_recommendations"  # the oversight body's responses
    MANAGE_RECRUITMENT = "manage_recruitment"  # open and close it, questions, quotas, CSV import
    VIEW_VOLUNTEERS = "view_volunteers"  # volunteers' names, addresses and access needs
    VIEW_SELECTION = "view_selection"  # the pool in aggregate, quotas, the draw's progress
    RUN_DRAW = "run_draw"  # compute, publish the distribution, enter the seed, invite
    REPLACE_JURORS = "replace_jurors"  # bring in the next fitting reserve when someone drops out
    ANSWER_QUESTIONNAIRE = "answer_questionnaire"  # a juror's anonymous evaluation answers
    ANSWER_ORGANISER_QUESTIONNAIRE = "answer_organiser_questionnaire"  # the organisers' own
    MANAGE_EVALUATION = "manage_evaluation"  # topic statements, open and close questionnaires
    VIEW_EVALUATION_RESULTS = "view_evaluation_results"  # counts only, from five answers on
    DOWNLOAD_EVALUATION = "download_evaluation"  # the anonymous answers as CSV and JSON


@dataclass(frozen=True)
class Rule:
    roles: frozenset
    stages: frozenset = ALL_STAGES

    def allows(self, role, stage):
        return role in self.roles and stage in self.stages


FACILITATOR = frozenset({Role.FACILITATOR})

RULES = {
    Action.VIEW_JURY: Rule(ALL_ROLES),
    Action.VIEW_DASHBOARD: Rule(FACILITATORS_AND_WATCHERS),
    Action.VIEW_MEMBER_EMAILS: Rule(FACILITATOR),
    Action.VIEW_AUDIT_LOG: Rule(FACILITATORS_AND_WATCHERS),
    Action.INVITE_MEMBERS: Rule(FACILITATOR),
    Action.REMOVE_MEMBERS: Rule(FACILITATOR),
    Action.CHANGE_STAGE: Rule(FACILITATOR),
    Action.EDIT_DETAILS: Rule(FACILITATOR),
    Action.EDIT_REMIT: Rule(FACILITATOR, BEFORE_LEARNING),
    Action.EDIT_TIMELINE: Rule(FACILITATOR),
    Action.MANAGE_SITTINGS: Rule(FACILITATOR, UNTIL_REPORT),
    Action.MAKE_ANNOUNCEMENTS: Rule(FACILITATOR),
    Action.CHOOSE_NAME_VISIBILITY: Rule(frozenset({Role.JUROR})),
    Action.CHOOSE_EMAILS: Rule(ALL_ROLES),
    Action.VIEW_EVIDENCE: Rule(ALL_ROLES),
    Action.VIEW_DRAFT_EVIDENCE: Rule(FACILITATORS_AND_WATCHERS),
    # Evidence is settled once the jury starts voting: what it voted on stays as it was.
    Action.MANAGE_EVIDENCE: Rule(FACILITATOR, frozenset(Stage) - AFTER_DRAFTING),
    Action.VIEW_EVIDENCE_BALANCE: Rule(FACILITATORS_AND_WATCHERS),
    Action.VIEW_READING_PROGRESS: Rule(FACILITATORS_AND_WATCHERS),
    Action.ASK_QUESTIONS: Rule(frozenset({Role.JUROR}), QUESTION_TIME),
    Action.ANSWER_QUESTIONS: Rule(frozenset({Role.WITNESS})),
    Action.MANAGE_QUESTIONS: Rule(FACILITATOR),
    Action.MANAGE_WITNESSES: Rule(FACILITATOR),
    Action.WRITE_WITNESS_STATEMENT: Rule(
        frozenset({Role.WITNESS}), frozenset(Stage) - AFTER_DRAFTING
    ),
    Action.REQUEST_EVIDENCE: Rule(frozenset({Role.JUROR}), QUESTION_TIME),
    Action.RESPOND_TO_REQUESTS: Rule(FACILITATOR),
    Action.VIEW_THREADS: Rule(INSIDERS),
    Action.POST_IN_THREADS: Rule(frozenset({Role.FACILITATOR, Role.JUROR}), TALKING_TIME),
    Action.FLAG_POSTS: Rule(frozenset({Role.JUROR}), TALKING_TIME),
    Action.MODERATE_POSTS: Rule(FACILITATOR),
    Action.VIEW_HIDDEN_POSTS: Rule(FACILITATORS_AND_WATCHERS),
    Action.VIEW_PARTICIPATION: Rule(FACILITATORS_AND_WATCHERS),
    Action.JOIN_SITTING: Rule(ALL_ROLES - {Role.OVERSIGHT}),
    Action.TAKE_PART_LIVE: Rule(frozenset({Role.JUROR, Role.WITNESS}), UNTIL_REPORT),
    Action.RUN_SITTINGS: Rule(FACILITATOR, UNTIL_REPORT),
    Action.VIEW_RECOMMENDATIONS: Rule(INSIDERS, RECOMMENDATION_TIME),
    Action.DRAFT_RECOMMENDATIONS: Rule(frozenset({Role.JUROR}), DRAFTING),
    Action.MANAGE_RECOMMENDATIONS: Rule(FACILITATOR, DRAFTING),
    Action.MANAGE_VOTE: Rule(FACILITATOR, DRAFTING | DECIDING),
    Action.CAST_BALLOT: Rule(frozenset({Role.JUROR}), DECIDING),
    Action.VIEW_TURNOUT: Rule(FACILITATORS_AND_WATCHERS, DECIDING),
    Action.WRITE_DISSENT: Rule(frozenset({Role.JUROR}), DISSENT_TIME),
    Action.HIDE_DISSENT: Rule(FACILITATOR, RECOMMENDATION_TIME),
    Action.SIGN_OFF: Rule(frozenset({Role.JUROR}), frozenset({Stage.REPORT})),
    Action.PUBLISH_REPORT: Rule(FACILITATOR, frozenset({Stage.REPORT, Stage.RESPONSE})),
    Action.ANSWER_RECOMMENDATIONS: Rule(frozenset({Role.OVERSIGHT}), frozenset({Stage.RESPONSE})),
    Action.MANAGE_RECRUITMENT: Rule(FACILITATOR, BEFORE_LEARNING),
    # Contact details are for the facilitators alone; observers see the pool only in aggregate.
    Action.VIEW_VOLUNTEERS: Rule(FACILITATOR),
    Action.VIEW_SELECTION: Rule(FACILITATORS_AND_WATCHERS),
    Action.RUN_DRAW: Rule(FACILITATOR, frozenset({Stage.SELECTION})),
    # Drop-outs are replaced until jurors have started learning together.
    Action.REPLACE_JURORS: Rule(FACILITATOR, frozenset({Stage.SELECTION, Stage.LEARNING})),
    # Jurors exist from the draw on; the start questionnaire comes before they learn.
    Action.ANSWER_QUESTIONNAIRE: Rule(frozenset({Role.JUROR}), ALL_STAGES - {Stage.SETUP}),
    Action.ANSWER_ORGANISER_QUESTIONNAIRE: Rule(FACILITATOR),
    Action.MANAGE_EVALUATION: Rule(FACILITATOR),
    Action.VIEW_EVALUATION_RESULTS: Rule(EVALUATION_READERS),
    Action.DOWNLOAD_EVALUATION: Rule(frozenset({Role.FACILITATOR, Role.EVALUATOR})),
}


def allowed(role, stage, action):
    """The bare rule: may someone with `role` do `action` while the jury is at `stage`?"""
    if role is None:
        return False
    return RULES[Action(action)].allows(Role(role), Stage(stage))


def membership_of(user, jury):
    """The person's membership of the jury, or None. Cached on the jury instance per request."""
    if not _signed_in(user):
        return None
    cache = jury.__dict__.setdefault("_membership_cache", {})
    if user.pk not in cache:
        cache[user.pk] = Membership.objects.filter(jury=jury, user=user).first()
    return cache[user.pk]


def role_of(user, jury):
    membership = membership_of(user, jury)
    return Role(membership.role) if membership else None


def can(user, action, jury):
    return allowed(role_of(user, jury), jury.stage, action)


def _signed_in(user):
    return getattr(user, "is_authenticated", False) and user.is_active


def can_manage_register(user):
    """Adding an entry to the public register of systems: staff, and the facilitators of any jury
    (they bring in the system their jury reviews, and the new entry is linked to that jury)."""
    if not _signed_in(user):
        return False
    return user.is_staff or Membership.objects.filter(user=user, role=Role.FACILITATOR).exists()


def may_edit_system(user, system):
    """Changing one entry in the register (replacing its record): staff, and the facilitators of
    a jury that reviews the system. A facilitator of another jury may not, whatever the stage.

    `system` is any object with a `juries` relation (evidence's System): juries never imports it.
    """
    if not _signed_in(user):
        return False
    if user.is_staff:
        return True
    return Membership.objects.filter(
        user=user, role=Role.FACILITATOR, jury__in=system.juries.values("pk")
    ).exists()


def juries_for_new_systems(user):
    """The juries a new register entry added by `user` may be linked to: any jury for staff, the
    juries they facilitate for anyone else."""
    if not _signed_in(user):
        return Jury.objects.none()
    if user.is_staff:
        return Jury.objects.order_by("title")
    facilitated = Jury.objects.filter(memberships__user=user, memberships__role=Role.FACILITATOR)
    return facilitated.order_by("title")


def may_add_system_without_jury(user):
    """Only staff add a register entry that no jury reviews yet; anyone else links it to a jury
    they facilitate (`juries_for_new_systems`), which makes its facilitators responsible for it."""
    return _signed_in(user) and user.is_staff


def may_see_pattern_library(user):
    """The pattern library (every shared component in every state) is a tool for the people who
    build the site: staff only."""
    return _signed_in(user) and user.is_staff


def may_ask_to_change_address(by, person):
    """Staff ask for a person's sign-in address to change (the person confirms it). Only a
    superuser may ask it for staff or another superuser: a staff member could otherwise have a
    colleague's sign-in moved (to a link in that colleague's own inbox, but still)."""
    return by.is_superuser or not (person.is_staff or person.is_superuser)


def can_view_public_page(user, jury):
    return jury.is_public or role_of(user, jury) is not None


@dataclass
class JuryAccess:
    """What one person may do in one jury, handed to views and templates."""

    jury: Jury
    membership: Membership | None
    may: dict = field(default_factory=dict)

    @property
    def role(self):
        return Role(self.membership.role) if self.membership else None

    @property
    def person_id(self):
        """The member's user id; None for someone who is not a member (a public page's visitor)."""
        return self.membership.user_id if self.membership else None


def _may(role, stage):
    return {action.value: allowed(role, stage, action) for action in Action}


def access_for(user, jury):
    membership = membership_of(user, jury)
    role = Role(membership.role) if membership else None
    return JuryAccess(jury=jury, membership=membership, may=_may(role, jury.stage))


def access_after(access, *, stage, role):
    """The same person's access once the jury is at `stage` and they hold `role` (None: they are
    no longer a member), worked out without the database. The live connection keeps the access it
    was opened with current this way, from the stage and role changes the event stream carries.
    """
    jury = copy.copy(access.jury)
    jury.stage = Stage(stage)
    membership = None
    if role is not None and access.membership is not None:
        membership = copy.copy(access.membership)
        membership.role = Role(role)
    return JuryAccess(jury=jury, membership=membership, may=_may(role, jury.stage))


def get_jury_for(user, slug, *, action=Action.VIEW_JURY, queryset=None):
    """Fetch a jury and check `action` in one step.

    Raises Http404 when the jury does not exist or the person is not a member (so a private jury's
    existence is not revealed), and PermissionDenied when a member's role or the stage forbids it.
    """
    queryset = queryset if queryset is not None else Jury.objects.select_related("oversight_body")
    jury = queryset.filter(slug=slug).first()
    if jury is None:
        raise Http404
    access = access_for(user, jury)
    if access.membership is None:
        raise Http404
    if not access.may[Action(action)]:
        raise PermissionDenied
    return access


def get_public_jury(user, slug):
    """A jury's public page: anyone when the jury is public, members always, 404 otherwise."""
    jury = Jury.objects.select_related("oversight_body").filter(slug=slug).first()
    if jury is None or not can_view_public_page(user, jury):
        raise Http404
    return access_for(user, jury)


def get_jury_for_volunteers(user, slug):
    """The registration form and its privacy notice. While recruitment is open they are for
    anyone with the link, even when the jury's own page is not public yet (facilitators share the
    form before the jury goes public); otherwise they follow the public page's rule."""
    jury = Jury.objects.select_related("oversight_body", "recruitment").filter(slug=slug).first()
    if jury is None:
        raise Http404
    recruiting = getattr(jury, "recruitment", None) is not None and jury.recruitment.is_open
    if not recruiting and not can_view_public_page(user, jury):
        raise Http404
    return access_for(user, jury)


# --- Rules about one particular object -------------------------------------------------------
#
# Each takes the person's `JuryAccess` (from `get_jury_for()`, or the live connection's) and the
# object. Where a rule also needs an action of the table, it asks `access.may`, so the table stays
# the one place for what a role may do at a stage; these add only who, of those, and which object.


def _is_person(access, user_id):
    return access.person_id is not None and access.person_id == user_id


def is_author(access, post):
    """The person wrote `post` (deliberate's Post)."""
    return _is_person(access, post.author_id)


def may_change_post(access, post):
    """Only its author changes or withdraws a post, and only while it is shown."""
    return is_author(access, post) and post.is_visible


def may_read_post(access, post):
    """A post's words: everyone's while it is shown; once hidden, its author's and those who may
    see hidden posts (Action.VIEW_HIDDEN_POSTS); once withdrawn, its author's alone."""
    if post.is_visible:
        return True
    if post.is_hidden:
        return access.may[Action.VIEW_HIDDEN_POSTS] or is_author(access, post)
    return is_author(access, post)


def may_flag_post(access, post):
    """Flagging (Action.FLAG_POSTS) someone else's post while it is shown."""
    return access.may[Action.FLAG_POSTS] and post.is_visible and not is_author(access, post)


def may_post_in(access, thread):
    """Posting needs Action.POST_IN_THREADS; a small group's thread, while the group meets, is
    for its members and for those who run sittings (Action.RUN_SITTINGS)."""
    if not access.may[Action.POST_IN_THREADS]:
        return False
    group = thread.small_group
    if group is None or group.closed_at is not None or access.may[Action.RUN_SITTINGS]:
        return True
    return group.members.filter(user_id=access.person_id).exists()


# Facilitators run the groups, observers and evaluators watch them all; the rest hear their own.
SEE_EVERY_GROUP = FACILITATORS_AND_WATCHERS


def sees_every_small_group(access):
    """While a sitting is split into small groups, the person receives every group's posts and
    queue, not only those of their own group."""
    return access.role in SEE_EVERY_GROUP


def may_be_given_the_floor(membership):
    """Whom a facilitator may give the floor in a sitting's room: any member taking part, which
    leaves out observers and evaluators (and anyone who is not a member of the jury)."""
    return membership is not None and membership.role not in (Role.OBSERVER, Role.EVALUATOR)


def may_see_pack(access, pack):
    """An evidence pack, and whatever is about one of its items: once it is published to jurors,
    anyone who may see the jury's evidence; before, only those who may see drafts."""
    return pack.published_at is not None or access.may[Action.VIEW_DRAFT_EVIDENCE]


def is_the_witness(access, witness):
    """The person is `witness` (evidence's Witness, when it has an account)."""
    return _is_person(access, witness.user_id)


def may_write_statement(access, witness):
    """A witness writes their own statement (Action.WRITE_WITNESS_STATEMENT), nobody else's."""
    return access.may[Action.WRITE_WITNESS_STATEMENT] and is_the_witness(access, witness)


def answers_as_witness(access, question):
    """A witness answers questions put to them, or put to whoever can answer (Action.ANSWER_QUESTIONS
    decides whether they answer at all)."""
    return question.witness_id is None or is_the_witness(access, question.witness)


def is_asker(access, question):
    """The person asked `question`: their support is counted already."""
    return _is_person(access, question.asked_by_id)


def signs_as_juror(access):
    """Only jurors put their names to statements of dissent (the stage is Action.WRITE_DISSENT's
    business, which callers check)."""
    return access.role == Role.JUROR


def has_signed(access, dissent):
    """The person's name is on the statement of dissent (its signers prefetched or not)."""
    return any(_is_person(access, signer.juror_id) for signer in dissent.signers.all())


def may_sign_dissent(access, dissent):
    """Adding one's name to a statement of dissent, or taking it off (Action.WRITE_DISSENT), while
    the statement is shown. The only name on a statement stays: a statement of dissent is never
    removed, so it is never left without a signer."""
    if not access.may[Action.WRITE_DISSENT] or dissent.is_hidden:
        return False
    signers = [signer.juror_id for signer in dissent.signers.all()]
    return not (len(signers) == 1 and _is_person(access, signers[0]))


def offers_first_publication(access):
    """The draft report offers to publish it at the report stage only; afterwards
    Action.PUBLISH_REPORT is used for corrections, which the published report offers."""
    return access.may[Action.PUBLISH_REPORT] and access.jury.stage == Stage.REPORT


def may_remove_member(access, membership):
    """Removing a member (Action.REMOVE_MEMBERS), never oneself: another facilitator does that."""
    return access.may[Action.REMOVE_MEMBERS] and not _is_person(access, membership.user_id)
