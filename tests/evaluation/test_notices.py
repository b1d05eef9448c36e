"""Opening a questionnaire tells the people asked to fill it in: on "What's new" and by email as
each chose ("only what needs me" included: it asks something of them). The news names the
questionnaire only; answering it tells nobody anything."""

from django.urls import reverse

from evaluation.models import Kind
from juries.models import EmailChoice, Membership, Notification
from tests.conftest import sign_in_recently

from .helpers import add_jurors, answers_for


def state_url(jury, questionnaire):
    return reverse("evaluation:state", args=[jury.slug, questionnaire.pk])


def test_opening_the_start_questionnaire_tells_each_juror_once(
    client, jury, facilitator, juror, mailoutbox, django_capture_on_commit_callbacks
):
    Membership.objects.filter(jury=jury, user=juror).update(emails=EmailChoice.NEEDED)
    sign_in_recently(client, facilitator)
    client.get(reverse("evaluation:manage", args=[jury.slug]))
    start = jury.questionnaires.get(kind=Kind.START)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(state_url(jury, start), {"state": "open"})
        client.post(state_url(jury, start), {"state": "open"})  # a second click: no second email
    to_juror = [m for m in mailoutbox if m.to == [juror.email]]
    assert len(to_juror) == 1
    assert "questionnaire" in to_juror[0].subject
    assert reverse("evaluation:answer", args=[jury.slug, start.pk]) in to_juror[0].body
    assert Notification.objects.filter(user=juror, kind="questionnaire.opened").count() == 1
    # The facilitator is not asked to fill in the jurors' questionnaire.
    assert not Notification.objects.filter(user=facilitator, kind="questionnaire.opened").exists()
    sign_in_recently(client, juror)
    page = client.get(reverse("juries:whats-new")).content.decode()
    assert "Please fill in the questionnaire" in page


def test_the_organisers_questionnaire_is_news_for_facilitators_only(
    client, jury, facilitator, juror, django_capture_on_commit_callbacks
):
    sign_in_recently(client, facilitator)
    client.get(reverse("evaluation:manage", args=[jury.slug]))
    organisers = jury.questionnaires.get(kind=Kind.ORGANISER)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(state_url(jury, organisers), {"state": "open"})
    told = set(
        Notification.objects.filter(kind="questionnaire.opened").values_list("user", flat=True)
    )
    assert told == {facilitator.pk}


def test_answering_writes_no_news_and_sends_no_email(
    client, jury, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    sign_in_recently(client, facilitator)
    client.get(reverse("evaluation:manage", args=[jury.slug]))
    start = jury.questionnaires.get(kind=Kind.START)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(state_url(jury, start), {"state": "open"})
    (juror,) = add_jurors(jury, 1)
    news, sent = Notification.objects.count(), len(mailoutbox)
    sign_in_recently(client, juror)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("evaluation:answer", args=[jury.slug, start.pk]),
            answers_for(start, "agree"),
        )
    assert (Notification.objects.count(), len(mailoutbox)) == (news, sent)


def test_opening_again_tells_only_those_who_have_not_answered(
    client, jury, facilitator, juror, other_juror, mailoutbox, django_capture_on_commit_callbacks
):
    """Closed, then opened again while it has fewer than five answers: those who answered are
    not asked again (the who-answered record is all it looks at; nothing about how)."""
    from evaluation import services

    Membership.objects.filter(jury=jury).update(emails=EmailChoice.NEEDED)
    sign_in_recently(client, facilitator)
    client.get(reverse("evaluation:manage", args=[jury.slug]))
    start = jury.questionnaires.get(kind=Kind.START)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(state_url(jury, start), {"state": "open"})
    services.answer(start, juror, answers_for(start, "agree"))
    (gone,) = add_jurors(jury, 1)
    services.answer(start, gone, answers_for(start, "agree"))
    gone.delete()  # an answer whose person has since left: it must not stop anyone being told
    with django_capture_on_commit_callbacks(execute=True):
        client.post(state_url(jury, start), {"state": "closed"})
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(state_url(jury, start), {"state": "open"})
    start.refresh_from_db()
    assert start.state == "open"
    news = Notification.objects.filter(kind="questionnaire.opened")
    assert news.filter(user=juror).count() == 1  # from the first opening only
    assert news.filter(user=other_juror).count() == 2
    assert [m.to for m in mailoutbox] == [[other_juror.email]]
