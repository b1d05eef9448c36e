"""The vote's pages: rules, opening, the ballot sheet, closing, results and the priority ranking.

Opening and closing ask the facilitator to confirm who they are if they have not done so
recently (allauth's reauthentication, by emailed code), after the permission check so that the
wrong person is refused rather than asked for a code.
"""

from allauth.account.decorators import reauthentication_required
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from juries import refusals
from juries.idempotency import once
from juries.models import Stage
from juries.permissions import Action, get_jury_for

from .. import decisions as service
from .. import priorities
from .. import rounds as round_service
from ..charts import results_chart
from ..forms.decisions import OpenVoteForm, RankingForm, ReopenForm, RulesForm, ballot_forms
from ..models import Recommendation, Vote, VoteState

SAVED = gettext_lazy("Your ballot is saved. You can change it until the vote closes.")


def _rules_form(access, vote, data=None):
    shown = _rules_shown(access.jury, vote)
    initial = {
        "threshold_percent": shown.threshold_percent,
        "quorum_percent": shown.quorum_percent,
        "ranking": shown.ranking,
        "kind": "indicative" if shown.indicative else "final",
    }
    return RulesForm(data, initial=initial, instance=Vote(jury=access.jury))


def _rules_shown(jury, vote):
    """The vote whose rules the page shows: the current round's, or, once an indicative round has
    closed, the next round's as it would start (the same threshold and quorum, final)."""
    if vote is None:
        return Vote(jury=jury)
    if service.next_round_due(vote):
        return Vote(
            jury=jury,
            round=vote.round + 1,
            threshold_percent=vote.threshold_percent,
            quorum_percent=vote.quorum_percent,
        )
    return vote


def _sheet_error(message):
    """A page-level problem for the error summary (not about one recommendation)."""
    sheet = forms.Form(data={})
    sheet.is_valid()
    sheet.add_error(None, message)
    return sheet


def _on_the_ballot(jury):
    return Recommendation.objects.active().filter(jury=jury).select_related("jury")


def _rules_context(jury, vote, jurors=None):
    """The rules to show (the vote's, or the defaults before there is one) in plain numbers."""
    rules = _rules_shown(jury, vote)
    if jurors is None:
        jurors = jury.memberships.jurors().count()
    return {"rules": rules, "jurors": jurors, "explained": service.rules_in_numbers(rules, jurors)}


def _vote_page(request, access, *, rules_form=None, sheet=None, ballots=None, status=200):
    jury, may = access.jury, access.may
    vote = service.current_vote(jury)
    next_round = vote is not None and service.next_round_due(vote)
    preparing = vote is None or vote.state == VoteState.PREPARING or next_round
    context = {
        "access": access,
        "jury": jury,
        "may": may,
        "vote": vote,
        **_rules_context(jury, vote),
        "at_decision_stage": jury.stage == Stage.DECISION,
        "next_round": next_round,
        "rounds": round_service.closed_rounds(jury),
    }
    if may[Action.MANAGE_VOTE] and preparing:
        context["rules_form"] = rules_form or _rules_form(access, vote)
    closed = round_service.latest_closed(jury)
    # Drafting may reopen after an indicative round, even once the next is being prepared.
    if (
        may[Action.MANAGE_VOTE]
        and closed
        and round_service.may_reopen(closed)
        and (vote.pk == closed.pk or vote.is_preparing)
    ):
        context["reopen_form"] = ReopenForm()
    if vote and vote.is_open and may[Action.VIEW_TURNOUT]:
        context["turnout"] = service.turnout(vote)
    if vote and vote.is_closed:
        # From the turnout record: the sealed ballots no longer know whose they were.
        context["voted"] = service.has_taken_part(vote, request.user)
    if vote and vote.is_open and may[Action.CAST_BALLOT]:
        if ballots is None:
            recommendations = _on_the_ballot(jury)
            mine = service.ballots_of(vote, request.user)
            ballots = ballot_forms(recommendations, mine)
            context["saved"] = bool(mine)
            context["left"] = sum(1 for form in ballots if form.recommendation.pk not in mine)
        context["ballots"] = ballots
        context["sheet"] = sheet
    return render(request, "voting/decisions/vote.html", context, status=status)


@login_required
def vote(request, slug):
    """Everyone who may read the recommendations: the rules, then what their role does now."""
    access = get_jury_for(request.user, slug, action=Action.VIEW_RECOMMENDATIONS)
    return _vote_page(request, access)


@login_required
@require_POST
@once
def vote_rules(request, slug):
    access = get_jury_for(request.user, slug, action=Action.MANAGE_VOTE)
    vote = service.current_vote(access.jury)
    form = _rules_form(access, vote, request.POST)
    if not form.is_valid():
        return _vote_page(request, access, rules_form=form, status=400)
    try:
        service.set_rules(access.jury, request.user, **form.cleaned_data)
    except refusals.Refused as error:
        refusals.show(request, error)
    else:
        messages.success(request, _("The rules are saved. Jurors can read them on the vote page."))
    return redirect("voting:vote", access.jury.slug)


@login_required
@require_POST
@once
def vote_ballot(request, slug):
    """A juror's whole ballot sheet, saved together. Errors keep every choice made."""
    access = get_jury_for(request.user, slug, action=Action.CAST_BALLOT)
    vote = service.current_vote(access.jury)
    if vote is None or not vote.is_open:
        messages.error(request, _("The vote is not open, so your ballot was not saved."))
        return redirect("voting:vote", access.jury.slug)
    recommendations = _on_the_ballot(access.jury)
    sheet = ballot_forms(recommendations, service.ballots_of(vote, request.user), request.POST)
    if not all([form.is_valid() for form in sheet]):
        return _vote_page(request, access, ballots=sheet, status=400)
    entries = [entry for entry in (form.entry() for form in sheet) if entry]
    try:
        service.cast_ballots(vote, request.user, entries)
    except refusals.Refused as error:
        return _vote_page(
            request, access, ballots=sheet, sheet=_sheet_error(str(error)), status=400
        )
    messages.success(request, SAVED)
    return redirect("voting:vote", access.jury.slug)


def _confirm_page(request, access, template, extra):
    vote = service.current_vote(access.jury)
    context = {"access": access, "jury": access.jury, "may": access.may, "vote": vote}
    context.update(_rules_context(access.jury, vote))
    return render(request, template, {**context, **extra(vote)})


@login_required
@require_http_methods(["GET", "POST"])
def vote_open(request, slug):
    access = get_jury_for(request.user, slug, action=Action.MANAGE_VOTE)
    return _open(request, access)


@reauthentication_required
@once
def _open(request, access):
    form = OpenVoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            vote = service.prepare_vote(access.jury, request.user)
            service.open_vote(vote, request.user, closes_at=form.cleaned_data["closes_at"])
        except refusals.Refused as error:
            refusals.show(request, error)
        else:
            messages.success(request, _("The vote is open. Every juror has been sent an email."))
        return redirect("voting:vote", access.jury.slug)
    recommendations = Recommendation.objects.active().filter(jury=access.jury)
    return _confirm_page(
        request,
        access,
        "voting/decisions/vote_open.html",
        lambda vote: {
            "recommendations": recommendations,
            "at_decision_stage": access.jury.stage == Stage.DECISION,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def vote_close(request, slug):
    access = get_jury_for(request.user, slug, action=Action.MANAGE_VOTE)
    return _close(request, access)


@reauthentication_required
@once
def _close(request, access):
    if request.method == "POST":
        vote = service.current_vote(access.jury)
        try:
            if vote is None:
                raise service.DecisionError(_("The vote has not opened yet."))
            service.close_vote(vote, request.user)
        except refusals.Refused as error:
            refusals.show(request, error)
            return redirect("voting:vote", access.jury.slug)
        messages.success(request, _("The vote is closed and counted."))
        return redirect("voting:vote-results", access.jury.slug)
    return _confirm_page(
        request,
        access,
        "voting/decisions/vote_close.html",
        lambda vote: {"turnout": service.turnout(vote) if vote and vote.is_open else None},
    )


@login_required
def vote_results(request, slug):
    """The counts of the latest round that closed, only once it has; then the priority ranking,
    if there is one. Earlier rounds are linked (`vote_round`)."""
    access = get_jury_for(request.user, slug, action=Action.VIEW_RECOMMENDATIONS)
    vote = round_service.latest_closed(access.jury) or service.current_vote(access.jury)
    return _results_page(request, access, vote)


@login_required
def vote_round(request, slug, number):
    """The results of one closed round, read-only: the same people as the results page."""
    access = get_jury_for(request.user, slug, action=Action.VIEW_RECOMMENDATIONS)
    vote = round_service.round_of(access.jury, number)
    if vote is None:
        raise Http404(
            _("There is no closed round %(round)s of this jury's vote.") % {"round": number}
        )
    return _results_page(request, access, vote, one_round=True)


@login_required
@require_POST
@once
def vote_reopen(request, slug):
    """After an indicative round: drafting reopens for the recommendations chosen."""
    access = get_jury_for(request.user, slug, action=Action.MANAGE_VOTE)
    form = ReopenForm(request.POST)
    vote = round_service.latest_closed(access.jury)
    if not form.is_valid():
        messages.error(request, _("Choose which recommendations to reopen drafting for."))
        return redirect("voting:vote", access.jury.slug)
    try:
        if vote is None:
            raise service.DecisionError(
                _("Drafting reopens only after an indicative vote has closed.")
            )
        round_service.reopen_drafting(
            vote, request.user, everything=form.cleaned_data["scope"] == "all"
        )
    except refusals.Refused as error:
        refusals.show(request, error)
        return redirect("voting:vote", access.jury.slug)
    messages.success(
        request,
        _(
            "Drafting has reopened. Jurors can revise the recommendations, with the results of "
            "the indicative vote beside them."
        ),
    )
    return redirect("voting:recommendations", access.jury.slug)


def _results_page(request, access, vote, one_round=False):
    results = service.results_of(vote)
    rounds = round_service.closed_rounds(access.jury)
    context = {
        "access": access,
        "jury": access.jury,
        "may": access.may,
        "vote": vote,
        "one_round": one_round,
        "rounds": rounds,
        "in_rounds": vote is not None and (len(rounds) > 1 or vote.indicative),
        "latest": rounds[-1] if rounds else None,
        "latest_url": reverse("voting:vote-results", args=[access.jury.slug]),
        **(_rules_context(access.jury, vote, vote.jurors_at_close) if results else {}),
        "results": results,
        "ranking": _ranking_table(vote, results),
    }
    if results:
        context["adopted"] = sum(shown["row"].is_adopted for shown in results)
        context["chart"] = results_chart(
            [
                (shown["row"].recommendation.number, shown["row"].outcome, shown["result"].counts)
                for shown in results
            ],
            context["rules"].threshold_percent,
        )
    return render(request, "voting/decisions/results.html", context)


def _ranking_table(vote, results):
    """The stored Schulze result, with recommendations in place of their ids."""
    if vote is None or not vote.ranking_result:
        return None
    stored = vote.ranking_result
    by_id = {shown["row"].recommendation.pk: shown["row"].recommendation for shown in results}
    candidates = [by_id[pk] for pk in stored["candidates"] if pk in by_id]
    rows = [
        {
            "recommendation": a,
            "cells": [
                None if a == b else stored["pairwise"].get(f"{a.pk}>{b.pk}", 0) for b in candidates
            ],
        }
        for a in candidates
    ]
    places, position = [], 1
    for place in stored["places"]:
        places.append({"place": position, "recommendations": [by_id[pk] for pk in place]})
        position += len(place)
    return {"places": places, "candidates": candidates, "rows": rows, "ballots": stored["ballots"]}


@login_required
@require_http_methods(["GET", "POST"])
@once
def vote_ranking(request, slug):
    """A juror's order of priority for the adopted recommendations: a place for each."""
    access = get_jury_for(request.user, slug, action=Action.CAST_BALLOT)
    vote = service.current_vote(access.jury)
    context = {"access": access, "jury": access.jury, "may": access.may, "vote": vote}
    if vote is None or not vote.ranking_is_open:
        if request.method == "POST":
            messages.error(request, _("The priority ranking is not open."))
            return redirect("voting:vote", access.jury.slug)
        context["ranked"] = vote is not None and priorities.has_ranked(vote, request.user)
        return render(request, "voting/decisions/ranking.html", context)
    adopted = priorities.adopted_recommendations(vote)
    form = RankingForm(request.POST or None, recommendations=adopted)
    if request.method == "POST" and form.is_valid():
        try:
            priorities.rank(vote, request.user, form.order)
        except refusals.Refused as error:
            refusals.on_form(form, error)
        else:
            messages.success(
                request, _("Your ranking is saved. You can change it until the ranking closes.")
            )
            return redirect("voting:vote-ranking", access.jury.slug)
    if not form.is_bound:
        form.set_order(priorities.ranking_of(vote, request.user))
    status = 400 if form.is_bound else 200
    return render(
        request, "voting/decisions/ranking.html", {**context, "form": form}, status=status
    )


@login_required
@require_POST
def ranking_open(request, slug):
    access = get_jury_for(request.user, slug, action=Action.MANAGE_VOTE)
    return _ranking_step(request, access, priorities.open_ranking, _("Jurors can now rank."))


@login_required
@require_POST
def ranking_close(request, slug):
    access = get_jury_for(request.user, slug, action=Action.MANAGE_VOTE)
    return _ranking_step(request, access, priorities.close_ranking, _("The ranking is closed."))


# Like opening and closing the vote, a step that decides what the jury's priorities are asks the
# facilitator to confirm who they are if they have not recently.
@reauthentication_required
@once
def _ranking_step(request, access, step, done):
    vote = service.current_vote(access.jury)
    try:
        if vote is None:
            raise service.DecisionError(_("The vote has not opened yet."))
        vote = step(vote, request.user)
    except refusals.Refused as error:
        refusals.show(request, error)
        return redirect("voting:vote", access.jury.slug)
    messages.success(request, done)
    target = "voting:vote-results" if vote.ranking_closed_at else "voting:vote"
    return redirect(target, access.jury.slug)


urlpatterns = [
    path("juries/<slug:slug>/vote/", vote, name="vote"),
    path("juries/<slug:slug>/vote/rules/", vote_rules, name="vote-rules"),
    path("juries/<slug:slug>/vote/ballot/", vote_ballot, name="vote-ballot"),
    path("juries/<slug:slug>/vote/open/", vote_open, name="vote-open"),
    path("juries/<slug:slug>/vote/close/", vote_close, name="vote-close"),
    path("juries/<slug:slug>/vote/results/", vote_results, name="vote-results"),
    path("juries/<slug:slug>/vote/rounds/<int:number>/", vote_round, name="vote-round"),
    path("juries/<slug:slug>/vote/reopen/", vote_reopen, name="vote-reopen"),
    path("juries/<slug:slug>/vote/ranking/", vote_ranking, name="vote-ranking"),
    path("juries/<slug:slug>/vote/ranking/open/", ranking_open, name="vote-ranking-open"),
    path("juries/<slug:slug>/vote/ranking/close/", ranking_close, name="vote-ranking-close"),
]
