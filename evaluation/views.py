"""The evaluation's pages: the questionnaires to answer, the facilitators' settings, the results
(counts only, from five answers on) and the anonymous download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from juries.permissions import Action, get_jury_for

from . import export, services
from .forms import QuestionnaireForm, SettingsForm
from .models import MINIMUM_ANSWERS, Answered, Kind, Questionnaire, State
from .results import change_chart, questions_of, results_for

EVALUATION_ACTIONS = (
    Action.ANSWER_QUESTIONNAIRE,
    Action.ANSWER_ORGANISER_QUESTIONNAIRE,
    Action.MANAGE_EVALUATION,
    Action.VIEW_EVALUATION_RESULTS,
)


def shows_evaluation(jury, access):
    """The navigation's "Evaluation" section: for whoever takes part in it or reads it."""
    may = getattr(access, "may", {})
    return any(may.get(action) for action in EVALUATION_ACTIONS)


def _access(user, slug, action=Action.VIEW_JURY):
    access = get_jury_for(user, slug, action=action)
    if action == Action.VIEW_JURY and not shows_evaluation(access.jury, access):
        raise PermissionDenied
    return access


def _answering_action(questionnaire):
    if questionnaire.kind == Kind.ORGANISER:
        return Action.ANSWER_ORGANISER_QUESTIONNAIRE
    return Action.ANSWER_QUESTIONNAIRE


@login_required
def home(request, slug):
    access = _access(request.user, slug)
    jury = access.jury
    services.ensure_sitting_questionnaires(jury)
    kinds = []
    if access.may[Action.ANSWER_QUESTIONNAIRE]:
        kinds += [Kind.START, Kind.SITTING, Kind.END]
    if access.may[Action.ANSWER_ORGANISER_QUESTIONNAIRE]:
        kinds.append(Kind.ORGANISER)
    open_ones = list(
        Questionnaire.objects.filter(jury=jury, state=State.OPEN, kind__in=kinds).select_related(
            "sitting", "jury"
        )
    )
    answered = set(
        Answered.objects.filter(questionnaire__in=open_ones, user=request.user).values_list(
            "questionnaire_id", flat=True
        )
    )
    return render(
        request,
        "evaluation/home.html",
        {
            "access": access,
            "jury": jury,
            "questionnaires": [(q, q.pk in answered) for q in open_ones],
        },
    )


@login_required
def answer(request, slug, pk):
    access = _access(request.user, slug)
    jury = access.jury
    questionnaire = get_object_or_404(
        Questionnaire.objects.select_related("sitting", "jury"), jury=jury, pk=pk
    )
    if not access.may[_answering_action(questionnaire)]:
        raise PermissionDenied
    if not questionnaire.is_open:
        return _not_open(request, access, questionnaire)
    if services.has_answered(questionnaire, request.user):
        messages.info(request, _("You have already answered this questionnaire. Thank you."))
        return redirect("evaluation:home", slug)
    asked = questions_of(questionnaire, jury.topic_statements.all())
    form = QuestionnaireForm(
        request.POST if request.method == "POST" else None,
        asked=asked,
        comment=questionnaire.for_organisers,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.answer(questionnaire, request.user, form.answers())
        except services.AlreadyAnswered:
            messages.info(request, _("You have already answered this questionnaire. Thank you."))
        except services.NotOpen:
            messages.error(request, _not_kept_message(questionnaire))
        else:
            messages.success(
                request, _("Thank you. Your answers are kept without your name on them.")
            )
        return redirect("evaluation:home", slug)
    return render(
        request,
        "evaluation/answer.html",
        {"access": access, "jury": jury, "questionnaire": questionnaire, "form": form},
    )


def _not_kept_message(questionnaire):
    if questionnaire.state == State.NOT_OPEN:
        return _("This questionnaire is not open yet, so your answers were not saved.")
    return _(
        "This questionnaire closed before your answers were sent, so they were not saved. "
        "Thank you for your time."
    )


def _not_open(request, access, questionnaire):
    """A questionnaire that is not open, for someone asked to fill it in: answers sent to it
    (say, from a form left open while it closed) are not lost silently, they are told so on the
    evaluation's home; opening its link says it is closed (or not open yet) rather than 404."""
    if request.method == "POST":
        messages.error(request, _not_kept_message(questionnaire))
        return redirect("evaluation:home", access.jury.slug)
    return render(
        request,
        "evaluation/not_open.html",
        {
            "access": access,
            "jury": access.jury,
            "questionnaire": questionnaire,
            "answered": services.has_answered(questionnaire, request.user),
        },
    )


def _core_questionnaires(jury):
    Questionnaire.objects.bulk_create(
        [Questionnaire(jury=jury, kind=kind) for kind in (Kind.START, Kind.END, Kind.ORGANISER)],
        ignore_conflicts=True,
    )


@login_required
def manage(request, slug):
    access = _access(request.user, slug, Action.MANAGE_EVALUATION)
    jury = access.jury
    _core_questionnaires(jury)
    settings = services.settings_for(jury)
    topics = list(jury.topic_statements.all())
    topics_may_change = services.topics_may_change(jury)
    initial = {
        "after_sittings": settings.after_sittings,
        "statements": "\n".join(topic.text for topic in topics),
    }
    form = SettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_settings(
            access,
            after_sittings=form.cleaned_data["after_sittings"],
            statements=form.cleaned_data["statements"] if topics_may_change else None,
        )
        messages.success(request, _("The evaluation's settings are saved."))
        return redirect("evaluation:manage", slug)
    services.ensure_sitting_questionnaires(jury)
    counted = {r.questionnaire.pk: r.answers for r in results_for(jury)}
    questionnaires = list(Questionnaire.objects.filter(jury=jury).select_related("sitting", "jury"))
    return render(
        request,
        "evaluation/manage.html",
        {
            "access": access,
            "jury": jury,
            "form": form,
            "topics": topics,
            "topics_may_change": topics_may_change,
            "questionnaires": [
                (
                    q,
                    counted.get(q.pk, 0),
                    q.state == State.CLOSED and counted.get(q.pk, 0) >= MINIMUM_ANSWERS,
                )
                for q in questionnaires
            ],
        },
    )


@login_required
@require_POST
def change_state(request, slug, pk):
    access = _access(request.user, slug, Action.MANAGE_EVALUATION)
    questionnaire = get_object_or_404(Questionnaire, jury=access.jury, pk=pk)
    state = request.POST.get("state")
    if state not in (State.OPEN, State.CLOSED):
        messages.error(request, _("Choose to open or to close the questionnaire."))
        return redirect("evaluation:manage", slug)
    try:
        services.set_state(access, questionnaire, state)
    except services.Settled:
        messages.error(
            request,
            _(
                "This questionnaire closed with its results shown, so it cannot open again: "
                "comparing the results before and after a late answer would reveal it."
            ),
        )
        return redirect("evaluation:manage", slug)
    if state == State.OPEN:
        messages.success(request, _("The questionnaire is open."))
    else:
        messages.success(request, _("The questionnaire is closed."))
    return redirect("evaluation:manage", slug)


@login_required
def results(request, slug):
    access = _access(request.user, slug, Action.VIEW_EVALUATION_RESULTS)
    jury = access.jury
    found = results_for(jury)
    return render(
        request,
        "evaluation/results.html",
        {
            "access": access,
            "jury": jury,
            "results": found,
            "change": change_chart(jury, found),
            "minimum": MINIMUM_ANSWERS,
            "has_topics": jury.topic_statements.exists(),
        },
    )


@login_required
def download_csv(request, slug):
    access = _access(request.user, slug, Action.DOWNLOAD_EVALUATION)
    response = HttpResponse(export.as_csv(access.jury), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{access.jury.slug}-evaluation-answers.csv"'
    )
    return response


@login_required
def download_json(request, slug):
    access = _access(request.user, slug, Action.DOWNLOAD_EVALUATION)
    response = HttpResponse(export.as_json(access.jury), content_type="application/json")
    response["Content-Disposition"] = (
        f'attachment; filename="{access.jury.slug}-evaluation-answers.json"'
    )
    return response


@login_required
def download_schema(request, slug):
    _access(request.user, slug, Action.DOWNLOAD_EVALUATION)
    return HttpResponse(export.schema(), content_type="application/schema+json")


urlpatterns = [
    path("juries/<slug:slug>/evaluation/", home, name="home"),
    path("juries/<slug:slug>/evaluation/manage/", manage, name="manage"),
    path("juries/<slug:slug>/evaluation/results/", results, name="results"),
    path("juries/<slug:slug>/evaluation/answers.csv", download_csv, name="download-csv"),
    path("juries/<slug:slug>/evaluation/answers.json", download_json, name="download-json"),
    path(
        "juries/<slug:slug>/evaluation/answers-schema.json",
        download_schema,
        name="download-schema",
    ),
    path("juries/<slug:slug>/evaluation/<int:pk>/", answer, name="answer"),
    path("juries/<slug:slug>/evaluation/<int:pk>/state/", change_state, name="state"),
]
