"""The demo jury: made-up people, a timeline, sittings and invitations, and their sign-in links.

`seed()` is idempotent. Every row is looked up by a natural key (an email, the jury's slug, a
sitting's title within the jury, a stage within the jury) before anything is created, so running it
again adds no rows; it only moves the planned dates and sittings so they stay around today. The
story of how the jury got here (stage changes, audit entries) is written once, when the jury is
first created.

Everything here is demo data shown as-is on the pages, so none of it is marked for translation.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import audit
from .demo import sign_in_path
from .models import (
    AgendaItem,
    Invitation,
    InvitationState,
    Jury,
    Membership,
    OversightBody,
    Role,
    Sitting,
    Stage,
    StageChange,
    StagePlan,
    User,
    Visibility,
)

DEMO_SLUG = "fraud-risk-scoring"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
LONDON = ZoneInfo("Europe/London")

OVERSIGHT_BODY = {
    "name": "Social Security Oversight Board",
    "description": (
        "The Social Security Oversight Board is an independent statutory body that scrutinises "
        "how the Department for Work and Welfare designs and runs the social security system, "
        "including the automated tools it uses to make or support decisions about people's "
        "claims. Its members are appointed for their expertise in welfare rights, data "
        "protection and public administration, and none of them works for the Department. The "
        "Board publishes all of its advice, and it has undertaken to answer every recommendation "
        "of this citizens' jury in public within eight weeks of receiving the jury's report."
    ),
    "public_contact": "board@oversight.example.gov.uk",
}

JURY = {
    "title": "Automated fraud-risk scoring for Housing Support",
    "commissioning_organisation": "Department for Work and Welfare",
    "remit": (
        "The Department for Work and Welfare proposes to apply its automated fraud-risk scoring "
        "model to every new claim for Housing Support from next April. The model gives each claim "
        "a risk score calculated from the information the claimant provides and from data matched "
        "with other public bodies, including HM Revenue and Customs and local councils. Claims "
        "scoring above a threshold set by the Department are referred to a caseworker for an "
        "enhanced check before any payment is made.\n\n"
        "Under what conditions, if any, should the Department use automated fraud-risk scoring "
        "for Housing Support claims? What safeguards, transparency and routes of redress should "
        "apply to the people whose claims are scored?"
    ),
    "remit_summary": (
        "The government wants a computer to give every new Housing Support claim a score. "
        "Claims with a high score get extra checks before anyone is paid. "
        "Extra checks can hold up a payment for weeks.\n\n"
        "We are asking you two things. Should the government do this at all? "
        "If it does, what rules should it follow, how should people find out, "
        "and how can they put things right when the computer gets it wrong?"
    ),
    "help_contact": (
        "Call the facilitators on 0300 555 0100 (Monday to Friday, 9am to 5pm) "
        "or email help@fraud-jury.example.org"
    ),
}

# (stage, first day, last day), in days from today. The learning stage spans today.
TIMELINE = [
    (Stage.SETUP, -56, -36),
    (Stage.SELECTION, -35, -15),
    (Stage.LEARNING, -14, 13),
    (Stage.DELIBERATION, 14, 34),
    (Stage.DRAFTING, 35, 48),
    (Stage.DECISION, 49, 55),
    (Stage.REPORT, 56, 69),
    (Stage.RESPONSE, 70, 126),
]


@dataclass(frozen=True)
class Persona:
    email: str
    display_name: str
    role: Role
    show_name_publicly: bool = False
    timezone: str = "Europe/London"


PEOPLE = [
    Persona("amara.okafor@example.org", "Amara Okafor", Role.FACILITATOR),
    Persona("tom.griffiths@example.org", "Tom Griffiths", Role.FACILITATOR),
    Persona("aisha@example.org", "Aisha K.", Role.JUROR, show_name_publicly=True),
    Persona("brian@example.org", "Brian", Role.JUROR),
    Persona("chloe@example.org", "Chloe W.", Role.JUROR),
    Persona("dariusz@example.org", "Dariusz", Role.JUROR, show_name_publicly=True),
    Persona("eilidh@example.org", "Eilidh M.", Role.JUROR),
    Persona("farhan@example.org", "Farhan", Role.JUROR),
    Persona("grace@example.org", "Grace O.", Role.JUROR, show_name_publicly=True),
    Persona("joy@example.org", "Joy A.", Role.JUROR),
    Persona("lakshmi@example.org", "Lakshmi P.", Role.JUROR),
    Persona("marek@example.org", "Marek", Role.JUROR, timezone="Europe/Warsaw"),
    Persona("mohammed@example.org", "Mohammed S.", Role.JUROR),
    Persona("siobhan@example.org", "Siobhán", Role.JUROR, timezone="Europe/Dublin"),
    Persona("priya.natarajan@example.org", "Dr Priya Natarajan", Role.WITNESS),
    Persona("ruth.adeyemi@example.org", "Ruth Adeyemi", Role.OBSERVER),
    Persona("helen.marsh@example.org", "Prof. Helen Marsh", Role.OVERSIGHT),
    Persona("david.cho@example.org", "David Cho", Role.OVERSIGHT),
]


@dataclass(frozen=True)
class SittingPlan:
    title: str
    description: str
    starts: time
    ends: time
    video_url: str
    agenda: tuple  # (title, planned minutes), in order


SITTINGS = {
    "past": SittingPlan(
        "Sitting 1: How fraud-risk scoring works",
        "We meet each other, agree how we will work together and hear how the scoring model works.",
        time(10, 0),
        time(12, 30),
        "https://meet.example.org/fraud-jury-1",
        (
            ("Welcome, introductions and how we will work together", 25),
            ("The Department explains the scoring model", 35),
            ("Dr Priya Natarajan: what a risk score can and cannot tell you", 30),
            ("Questions to the witnesses", 45),
            ("What we want to know next", 15),
        ),
    ),
    "next": SittingPlan(
        "Sitting 2: Living with extra checks",
        "We hear what an enhanced check is like for the person waiting for their payment.",
        time(18, 30),
        time(20, 30),
        "https://meet.example.org/fraud-jury-2",
        (
            ("Welcome back and recap", 10),
            ("A welfare rights adviser on delayed payments", 35),
            ("Small groups: what would a fair check feel like?", 45),
            ("Groups report back", 20),
            ("Questions to send to the witnesses", 10),
        ),
    ),
    "after": SittingPlan(
        "Sitting 3: Accuracy, bias and the human check",
        "We look at how often the model is wrong, for whom, and what the caseworker can change.",
        time(10, 0),
        time(12, 30),
        "https://meet.example.org/fraud-jury-3",
        (
            ("Welcome", 10),
            ("Dr Priya Natarajan: testing the model for bias", 40),
            ("Questions to the witness", 35),
            ("Small groups: which safeguards matter most?", 50),
            ("Looking ahead to deliberation", 15),
        ),
    ),
}

# (email, role, state) for people who are not members yet, or never will be.
INVITATIONS = [
    ("welfare.adviser@example.org", Role.WITNESS, InvitationState.PENDING),
    ("reserve.juror.1@example.org", Role.JUROR, InvitationState.PENDING),
    ("reserve.juror.2@example.org", Role.JUROR, InvitationState.EXPIRED),
    ("j.fenwick@example.org", Role.WITNESS, InvitationState.REVOKED),
]

ROLE_HEADINGS = {
    Role.FACILITATOR: "Facilitators",
    Role.JUROR: "Jurors",
    Role.WITNESS: "Witnesses",
    Role.OBSERVER: "Observers",
    Role.OVERSIGHT: "Oversight members",
    Role.EVALUATOR: "Evaluators",
}


@dataclass
class SeedResult:
    jury: Jury
    created: bool


def seed(*, now=None):
    """Create the demo, or bring an existing one's dates up to today. Safe to run any number of
    times; one transaction."""
    now = now or timezone.now()
    today = now.astimezone(LONDON).date()
    with transaction.atomic():
        body, _ = OversightBody.objects.update_or_create(
            name=OVERSIGHT_BODY["name"], defaults=OVERSIGHT_BODY
        )
        jury, created = Jury.objects.get_or_create(
            slug=DEMO_SLUG,
            defaults={
                **JURY,
                "oversight_body": body,
                "visibility": Visibility.PUBLIC,
                "stage": Stage.LEARNING,
            },
        )
        people = {persona.email: _person(jury, persona) for persona in PEOPLE}
        facilitator = people[PEOPLE[0].email]
        _plan_timeline(jury, today)
        sittings = _schedule_sittings(jury, today)
        _invite(jury, facilitator, now)
        if not jury.stage_changes.exists():
            _record_stage_changes(jury, facilitator, today)
        if created:
            _record_history(jury, facilitator, sittings, today)
            # Members joined when the panel was drawn, not on the day the demo was loaded.
            jury.memberships.update(joined_at=_morning(today - timedelta(days=18)))
    return SeedResult(jury=jury, created=created)


def _person(jury, persona):
    user = User.objects.filter(email=persona.email).first()
    if user is None:
        user = User.objects.create_user(
            email=persona.email, display_name=persona.display_name, timezone=persona.timezone
        )
    EmailAddress.objects.get_or_create(
        user=user, email=persona.email, defaults={"verified": True, "primary": True}
    )
    Membership.objects.get_or_create(
        jury=jury,
        user=user,
        defaults={"role": persona.role, "show_name_publicly": persona.show_name_publicly},
    )
    return user


def _plan_timeline(jury, today):
    for stage, first, last in TIMELINE:
        StagePlan.objects.update_or_create(
            jury=jury,
            stage=stage,
            defaults={
                "planned_start": today + timedelta(days=first),
                "planned_end": today + timedelta(days=last),
            },
        )


def _days_until(today, weekday):
    """Days from `today` to the next `weekday` (Monday is 0), never 0: always in the future."""
    return (weekday - today.weekday()) % 7 or 7


def sitting_days(today):
    """The past Saturday, the next Tuesday and the Saturday after it: one sitting behind us and
    two within the next two weeks, whatever day the demo is seeded."""
    last_saturday = today - timedelta(days=(today.weekday() - 5) % 7 or 7)
    next_tuesday = today + timedelta(days=_days_until(today, 1))
    return {"past": last_saturday, "next": next_tuesday, "after": next_tuesday + timedelta(days=4)}


def _at(day, clock):
    return datetime.combine(day, clock, tzinfo=LONDON)


def _schedule_sittings(jury, today):
    sittings = []
    for key, day in sitting_days(today).items():
        plan = SITTINGS[key]
        sitting, _ = Sitting.objects.update_or_create(
            jury=jury,
            title=plan.title,
            defaults={
                "description": plan.description,
                "starts_at": _at(day, plan.starts),
                "ends_at": _at(day, plan.ends),
                "video_url": plan.video_url,
            },
        )
        for position, (title, minutes) in enumerate(plan.agenda, start=1):
            AgendaItem.objects.update_or_create(
                sitting=sitting,
                position=position,
                defaults={"title": title, "planned_minutes": minutes},
            )
        sittings.append(sitting)
    return sittings


def _invitation_dates(state, now):
    if state == InvitationState.EXPIRED:
        return {"expires_at": now - timedelta(days=2), "revoked_at": None}
    if state == InvitationState.REVOKED:
        return {"expires_at": now + timedelta(days=9), "revoked_at": now - timedelta(days=3)}
    return {"expires_at": now + timedelta(days=10), "revoked_at": None}


def _invite(jury, by, now):
    for email, role, state in INVITATIONS:
        Invitation.objects.update_or_create(
            jury=jury,
            email=email,
            defaults={
                "role": role,
                "invited_by": by,
                "last_sent_at": now - timedelta(days=4),
                "times_sent": 1,
                **_invitation_dates(state, now),
            },
        )


def _morning(day):
    return _at(day, time(10, 0))


def _record_stage_changes(jury, by, today):
    moves = [
        (Stage.SETUP, Stage.SELECTION, -35, "Remit agreed with the Department and the Board."),
        (Stage.SELECTION, Stage.LEARNING, -14, "Twelve jurors drawn by lottery; all accepted."),
    ]
    for from_stage, to_stage, days, note in moves:
        change = StageChange.objects.create(
            jury=jury, from_stage=from_stage, to_stage=to_stage, changed_by=by, note=note
        )
        # changed_at is set on creation; backdate it to match the timeline.
        StageChange.objects.filter(pk=change.pk).update(
            changed_at=_morning(today + timedelta(days=days))
        )


def _record_history(jury, by, sittings, today):
    """A plausible audit log for a jury that has been running for eight weeks."""
    entries = [
        (-56, "jury.create", f"Set up the jury “{jury.title}”.", jury),
        (-55, "timeline.edit", "Planned the jury's timeline.", jury),
        (-35, "stage.change", "Moved the jury from “Set-up” to “Selection”.", jury),
        (
            -20,
            "invitation.create",
            "Invited 12 jurors, 1 witness, 1 observer and 2 oversight members.",
            jury,
        ),
        (-14, "stage.change", "Moved the jury from “Selection” to “Learning”.", jury),
        (-13, "sitting.create", f"Scheduled the sitting “{sittings[0].title}”.", sittings[0]),
        (-6, "sitting.create", f"Scheduled the sitting “{sittings[1].title}”.", sittings[1]),
        (-6, "sitting.create", f"Scheduled the sitting “{sittings[2].title}”.", sittings[2]),
        (-3, "invitation.revoke", "Withdrew the invitation to a witness.", jury),
    ]
    for days, action, summary, target in entries:
        # Written as if at the time, so the log reads as a history: the log is append-only, and
        # an entry's time is part of its hash.
        with mock.patch(
            "django.utils.timezone.now", return_value=_morning(today + timedelta(days=days))
        ):
            audit.record(actor=by, action=action, summary=summary, jury=jury, target=target)


def _demo_personas():
    memberships = (
        Membership.objects.filter(jury__slug=DEMO_SLUG, user__is_active=True)
        .select_related("user")
        .order_by("user__display_name")
    )
    by_role = {role: [] for role in Role}
    for membership in memberships:
        by_role[Role(membership.role)].append(membership.user)
    return by_role


def write_sign_in_links(stdout, *, base_url=DEFAULT_BASE_URL):
    """Print a one-time sign-in link for each demo persona, grouped by role.

    Only in the demo configuration: elsewhere the sign-in URL is not routed, and printing links
    that sign anyone in without a code would be a hole. Returns how many links were printed.
    """
    if not settings.DEMO_MODE:
        stdout.write(
            "Sign-in links are only available in the demo configuration (DELIBERATE_DEMO=1)."
        )
        return 0
    by_role = _demo_personas()
    if not any(by_role.values()):
        stdout.write("There is no demo jury yet. Run `manage.py seed_demo` first.")
        return 0
    base_url = base_url.rstrip("/")
    printed = 0
    for role, users in by_role.items():
        if not users:
            continue
        stdout.write(f"\n{ROLE_HEADINGS[role]}")
        for user in users:
            stdout.write(f"  {user.public_name:<22} {base_url}{sign_in_path(user)}")
            printed += 1
    days = settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)
    stdout.write(
        f"\nEach link signs its persona in once and lapses after {days} days. "
        "Run `manage.py demo_links` for fresh ones."
    )
    return printed
