"""The demo's lotteries: a finished selection for the demo jury, and a jury still recruiting.

Everything is written through the models and the draw services, with invented volunteers drawn
from a fixed random generator, so the demo is the same every time it is loaded. The finished
selection was really computed (LEXIMIN on HiGHS) and really drawn from its seed; the panel's
places are then given to the demo's juror personas, who are the people the demo shows as jurors.
"""

import contextlib
import random
from datetime import timedelta
from unittest import mock

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from juries.models import (
    Answer,
    Category,
    CategoryValue,
    Jury,
    Membership,
    OversightBody,
    PlaceKind,
    PlaceState,
    Recruitment,
    RecruitmentState,
    Role,
    Stage,
    Visibility,
    Volunteer,
    VolunteerSource,
)

from . import draws

# (name, question, [(answer, population share %, share among volunteers %)])
# The volunteers lean older and more often hold a degree, as volunteers for juries usually do.
QUESTIONS = [
    (
        "Age",
        "How old are you?",
        [("16 to 29", 22, 10), ("30 to 44", 25, 20), ("45 to 64", 32, 38), ("65 or older", 21, 32)],
    ),
    (
        "Gender",
        "Which best describes you?",
        [("Woman", 51, 52), ("Man", 48, 47), ("In another way", 1, 1)],
    ),
    (
        "Area",
        "Where in the borough do you live?",
        [("North", 30, 26), ("Central", 35, 44), ("South", 35, 30)],
    ),
    (
        "Education",
        "Do you have a university degree?",
        [("Yes", 33, 58), ("No", 67, 42)],
    ),
]
FIRST_NAMES = [
    "Ada",
    "Ben",
    "Cara",
    "Dev",
    "Ella",
    "Femi",
    "Gus",
    "Hana",
    "Ivan",
    "Jade",
    "Kofi",
    "Lena",
    "Milo",
    "Nia",
    "Omar",
    "Pia",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Uma",
    "Vik",
    "Wen",
    "Xander",
    "Yara",
    "Zac",
    "Alba",
    "Bryn",
    "Cian",
    "Dora",
    "Emre",
    "Fern",
    "Gil",
    "Hugo",
    "Iris",
    "Jon",
    "Kit",
    "Lila",
    "Mina",
    "Ned",
    "Orla",
    "Pax",
    "Rhea",
    "Seth",
    "Tess",
    "Ugo",
    "Vera",
    "Wyn",
    "Yusuf",
    "Zoe",
]
LAST_NAMES = [
    "Abbott",
    "Begum",
    "Carter",
    "Dlamini",
    "Evans",
    "Fischer",
    "Gill",
    "Hughes",
    "Iqbal",
    "Jones",
    "Kowalski",
    "Lewis",
    "Morgan",
    "Nowak",
    "O'Neill",
    "Patel",
    "Quinn",
    "Rees",
    "Singh",
    "Taylor",
    "Usman",
    "Vaughan",
    "Walsh",
    "Young",
    "Zielinski",
]
POOL_SIZE = 300
PANEL_SIZE = 12
SEED = "04 17 23 31 38 52 (bonus 09)"
SEED_SOURCE = (
    "National Lottery Lotto draw, Saturday before the draw, published on the operator's website"
)
RECRUITING_SLUG = "housing-benefits-data-sharing"
RECRUITING_JURY = {
    "title": "Sharing tenants' data between housing and benefits services",
    "remit": (
        "Should the council match tenancy records with Housing Benefit claims automatically to "
        "find claims that may be wrong, and if so, under what safeguards?"
    ),
    "remit_summary": (
        "The council wants to compare who lives where with who gets help with rent, by computer. "
        "Should it, and what rules should it follow?"
    ),
    "commissioning_organisation": "Riverside Borough Council",
}


@contextlib.contextmanager
def _at(moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@contextlib.contextmanager
def _quietly():
    tasks = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=tasks):
        yield


def _questions(jury, panel_size):
    values = {}
    for position, (name, question, answers) in enumerate(QUESTIONS):
        category = Category.objects.create(
            jury=jury, name=name, question=question, position=position
        )
        for index, (label, share, _pool_share) in enumerate(answers):
            seats = share * panel_size / 100
            values[(name, label)] = CategoryValue.objects.create(
                category=category,
                label=label,
                population_share=share,
                minimum=max(0, int(seats) - 1) if share >= 5 else 0,
                maximum=int(seats) + 2,
                position=index,
            )
    return values


def _volunteers(jury, values, count, rng, *, confirmed_share=1.0):
    people = []
    for number in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        confirmed = rng.random() < confirmed_share
        volunteer = Volunteer.objects.create(
            jury=jury,
            name=f"{first} {last}",
            email=f"{first}.{last}.{number}@example.org".lower().replace("'", ""),
            access_needs=rng.choice(["", "", "", "", "Step-free access", "Large print papers"]),
            source=VolunteerSource.FORM if rng.random() < 0.8 else VolunteerSource.IMPORT,
            consented_at=timezone.now(),
            confirmed_at=timezone.now() if confirmed else None,
        )
        for name, _question, answers in QUESTIONS:
            label = rng.choices([a[0] for a in answers], weights=[a[2] for a in answers])[0]
            value = values[(name, label)]
            Answer.objects.create(volunteer=volunteer, category=value.category, value=value)
        people.append(volunteer)
    return people


def seed_finished_selection(jury, now=None):
    """Give the demo jury the selection it was chosen by, once. Returns the draw or None."""
    if jury.draws.exists():
        return None
    now = now or timezone.now()
    facilitator = jury.memberships.facilitators().first().user
    rng = random.Random(2026)
    with _quietly(), transaction.atomic():
        Recruitment.objects.update_or_create(
            jury=jury,
            defaults={
                "state": RecruitmentState.CLOSED,
                "panel_size": PANEL_SIZE,
                "eligibility": "I live in Riverside Borough.\nI am 16 or older.",
                "opened_at": now - timedelta(days=60),
                "closed_at": now - timedelta(days=30),
            },
        )
        values = _questions(jury, PANEL_SIZE)
        with _at(now - timedelta(days=45)):
            _volunteers(jury, values, POOL_SIZE, rng)
        with _at(now - timedelta(days=29)):
            draw = draws.start_draw(jury=jury, by=facilitator)
    draws.compute_draw.call(draw.pk)
    draw.refresh_from_db()
    with _quietly(), transaction.atomic():
        with _at(now - timedelta(days=28)):
            draws.publish_distribution(
                draw=draw,
                by=facilitator,
                seed_source=SEED_SOURCE,
                seed_numbers=7,
                seed_date=timezone.localdate(now - timedelta(days=25)),
            )
        with _at(now - timedelta(days=24)):
            draws.enter_seed(draw=draw, seed=SEED, by=facilitator)
        _give_places_to_personas(jury, draw, now - timedelta(days=21))
    return draw


def _give_places_to_personas(jury, draw, when):
    """The demo's jurors are the people the lottery chose: their places carry their details."""
    jurors = list(jury.memberships.jurors().select_related("user"))
    places = list(draw.places.filter(kind=PlaceKind.PANEL).select_related("volunteer"))
    for place, membership in zip(places, jurors, strict=False):
        volunteer = place.volunteer
        volunteer.name, volunteer.email = membership.user.display_name, membership.user.email
        volunteer.save(update_fields=["name", "email"])
        place.state = PlaceState.JOINED
        place.save(update_fields=["state"])
    draw.invitations_sent_at = when
    draw.save(update_fields=["invitations_sent_at"])


def seed_recruiting_jury(demo_jury, now=None):
    """A third jury, in selection, whose recruitment is open. Returns it, or None if present."""
    if Jury.objects.filter(slug=RECRUITING_SLUG).exists():
        return None
    now = now or timezone.now()
    rng = random.Random(7)
    with _quietly(), transaction.atomic():
        jury = Jury.objects.create(
            slug=RECRUITING_SLUG,
            oversight_body=OversightBody.objects.first(),
            visibility=Visibility.PUBLIC,
            stage=Stage.SELECTION,
            help_contact=demo_jury.help_contact,
            **RECRUITING_JURY,
        )
        for membership in demo_jury.memberships.filter(role__in=[Role.FACILITATOR, Role.OBSERVER]):
            Membership.objects.create(jury=jury, user=membership.user, role=membership.role)
        Recruitment.objects.create(
            jury=jury,
            state=RecruitmentState.OPEN,
            panel_size=24,
            eligibility="I live in Riverside Borough.\nI am 16 or older.\n"
            "I do not work for the council's housing or benefits services.",
            opened_at=now - timedelta(days=6),
        )
        values = _questions(jury, 24)
        with _at(now - timedelta(days=3)):
            _volunteers(jury, values, 64, rng, confirmed_share=0.85)
    return jury
