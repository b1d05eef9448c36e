"""The oversight body's answers: its answering pages, and the public accountability page and feed.

Answering (the list, the answer form, the progress form) needs Action.ANSWER_RECOMMENDATIONS:
oversight members at the response stage. The accountability page is public for a public jury
and open to members otherwise; its Atom feed exists only for public juries.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from juries import refusals
from juries.idempotency import once
from juries.permissions import Action, get_jury_for, get_public_jury

from .. import responses as service
from ..charts import answers_chart
from ..deadlines import deadline_for
from ..feeds import AccountabilityFeed
from ..forms.responses import ProgressForm, ResponseForm


def _answerable(access, number):
    """The adopted recommendation `number` of the jury with its answer, or 404: only adopted
    recommendations are answered, so there is nothing else to find here."""
    recommendation = (
        service.recommendations_for_answers(access.jury).filter(number=number).adopted().first()
    )
    if recommendation is None:
        raise Http404
    return recommendation


@login_required
def response_list(request, slug):
    access = get_jury_for(request.user, slug, action=Action.ANSWER_RECOMMENDATIONS)
    deadline = deadline_for(access.jury)
    rows = [row for row in service.answer_rows(access.jury, deadline) if row.adopted]
    return render(
        request,
        "voting/responses/list.html",
        {
            "access": access,
            "jury": access.jury,
            "deadline": deadline,
            "rows": rows,
            "answered": access.jury.recommendations.answered().count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def response_answer(request, slug, number):
    access = get_jury_for(request.user, slug, action=Action.ANSWER_RECOMMENDATIONS)
    recommendation = _answerable(access, number)
    response = service.response_of(recommendation)
    form = ResponseForm.for_response(request.POST if request.method == "POST" else None, response)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            saved = service.record_response(recommendation, request.user, **form.cleaned_data)
        except service.ResponseConflict as error:
            conflict, response = True, error.current
            form = ResponseForm.after_conflict(request.POST, response, str(error))
        except refusals.Refused as error:
            refusals.on_form(form, error)
        else:
            if saved.changed:
                messages.success(
                    request,
                    _("Your answer to recommendation %(number)s is published.")
                    % {"number": recommendation.number},
                )
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("voting:responses", access.jury.slug)
    return render(
        request,
        "voting/responses/answer_form.html",
        {
            "access": access,
            "jury": access.jury,
            "recommendation": recommendation,
            "support": service.support_of(recommendation.result),
            "response": response,
            "conflict": conflict,
            "deadline": deadline_for(access.jury),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def response_progress(request, slug, number):
    access = get_jury_for(request.user, slug, action=Action.ANSWER_RECOMMENDATIONS)
    recommendation = _answerable(access, number)
    response = service.response_of(recommendation)
    if response is None:
        messages.info(request, _("Answer the recommendation first; then you can add progress."))
        return redirect("voting:response-answer", access.jury.slug, recommendation.number)
    data = request.POST if request.method == "POST" else None
    form = ProgressForm(data, initial={"status": response.status})
    if request.method == "POST" and form.is_valid():
        try:
            service.add_progress(response, request.user, **form.cleaned_data)
        except refusals.Refused as error:
            refusals.on_form(form, error)
        else:
            messages.success(
                request,
                _("Your progress update on recommendation %(number)s is published.")
                % {"number": recommendation.number},
            )
            return redirect("voting:responses", access.jury.slug)
    return render(
        request,
        "voting/responses/progress_form.html",
        {
            "access": access,
            "jury": access.jury,
            "recommendation": recommendation,
            "response": response,
            "updates": list(response.updates.all()),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


def accountability(request, slug):
    """What became of the jury's recommendations: public for a public jury, members otherwise.
    Nothing is listed before the report is published."""
    access = get_public_jury(request.user, slug)
    jury = access.jury
    deadline = deadline_for(jury)
    rows = service.answer_rows(jury, deadline) if deadline.published else []
    adopted = [row for row in rows if row.adopted]
    return render(
        request,
        "voting/responses/accountability.html",
        {
            "access": access,
            "jury": jury,
            "may": access.may,
            "deadline": deadline,
            "adopted": adopted,
            "others": [row for row in rows if not row.adopted],
            "answered": jury.recommendations.answered().count() if deadline.published else 0,
            "overdue": sum(1 for row in adopted if row.overdue),
            "chart": answers_chart(adopted) if adopted else None,
        },
    )


J = "juries/<slug:slug>/"

urlpatterns = [
    path(J + "responses/", response_list, name="responses"),
    path(J + "responses/<int:number>/", response_answer, name="response-answer"),
    path(J + "responses/<int:number>/progress/", response_progress, name="response-progress"),
    path(J + "accountability/", accountability, name="accountability"),
    path(J + "accountability/feed/", AccountabilityFeed(), name="accountability-feed"),
]
