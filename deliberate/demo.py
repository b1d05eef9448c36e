"""The demo jury's discussions and its first sitting's record: a few threads in the jurors' own
words, a reply, an edited post, a flagged post, a discussion about an evidence item, and the
turns taken at the sitting that has happened. Runs once per jury; running the seed again adds
nothing."""

from datetime import timedelta

from django.utils import timezone

from evidence.models import EvidenceItem
from juries.models import Sitting, User

from . import room as room_service
from . import threads as thread_service
from .models import RoomState, Thread, Turn


def _person(email):
    return User.objects.get(email=email)


def seed_discussions(jury):
    if Thread.objects.filter(jury=jury).exists():
        return
    amara = _person("amara.okafor@example.org")
    aisha = _person("aisha@example.org")
    brian = _person("brian@example.org")
    chloe = _person("chloe@example.org")
    dariusz = _person("dariusz@example.org")
    grace = _person("grace@example.org")

    welcome = thread_service.start_thread(
        jury=jury,
        title="Welcome: introduce yourself",
        body=(
            "Hello everyone, I am Amara, one of your facilitators. Say hello and, if you like, "
            "what brought you to the jury. There are no wrong answers."
        ),
        by=amara,
    )
    first = thread_service.add_post(
        thread=welcome,
        body="Hi, Aisha here. My neighbour had her housing benefit stopped by a check like this.",
        by=aisha,
    )
    thread_service.add_post(
        thread=welcome,
        body="Sorry to hear that. I hope we can find out how often that happens.",
        by=brian,
        reply_to=first,
    )
    thread_service.add_post(
        thread=welcome, body="Hello all. I work nights, so I will mostly post here.", by=grace
    )

    scores = thread_service.start_thread(
        jury=jury,
        title="What happens when the score is wrong?",
        body=(
            "From the first sitting I understood that a high score means a closer check, not a "
            "decision. But who puts it right when the score is wrong, and how quickly?"
        ),
        by=chloe,
    )
    edited = thread_service.add_post(
        thread=scores,
        body="The department said a caseworker always looks. I would like to know how long that takes.",
        by=dariusz,
    )
    thread_service.edit_post(
        post=edited,
        body=(
            "The department said a caseworker always looks before anything changes. I would like "
            "to know how long that takes, and whether payments stop meanwhile."
        ),
        by=dariusz,
    )
    rude = thread_service.add_post(
        thread=scores, body="Anyone who gets flagged probably deserves it.", by=brian
    )
    thread_service.flag_post(
        post=rude, by=aisha, reason="This is unkind to people who are checked."
    )

    item = EvidenceItem.objects.filter(pack__jury=jury).order_by("pk").first()
    if item is not None:
        about = thread_service.thread_for(
            jury=jury, subject=item, title=f"About the evidence: {item.title}"
        )
        thread_service.add_post(
            thread=about, body="Does anyone else find the error figures hard to follow?", by=grace
        )
    _record_past_sitting(jury, [aisha, brian, chloe, dariusz, grace])


def _record_past_sitting(jury, speakers):
    """The first sitting has happened: its room is ended, with the turns people took."""
    sitting = Sitting.objects.filter(jury=jury, ends_at__lt=timezone.now()).order_by("starts_at")
    sitting = sitting.first()
    if sitting is None:
        return
    room = room_service.room_for(sitting)
    start = sitting.starts_at + timedelta(minutes=10)
    for index, (person, minutes) in enumerate(zip(speakers, [4, 6, 2, 3, 1], strict=True)):
        began = start + timedelta(minutes=8 * index)
        Turn.objects.create(
            room=room, user=person, started_at=began, ended_at=began + timedelta(minutes=minutes)
        )
    room.state = RoomState.ENDED
    room.save(update_fields=["state"])
