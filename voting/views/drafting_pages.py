"""Drafting pages for everyone who reads recommendations and the jurors who write them: the list
by theme, proposing, one recommendation, revising it, its history and its citations. The
facilitators' pages (themes, merging, deciding amendments) and amendments are in
`drafting_manage`; the URL list is in `drafting`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from juries import refusals
from juries.idempotency import once
from juries.models import Stage
from juries.permissions import Action, get_jury_for

from .. import drafting
from ..diff import word_diff
from ..forms.drafting import (
    CitationsForm,
    ProposeForm,
    ReviseForm,
    SetThemeForm,
    show_versions,
    wording_of,
)
from ..models import (
    AmendmentState,
    AmendmentVote,
    Recommendation,
    RecommendationState,
    VoteState,
)

FIELD_LABELS = {
    "statement": gettext_lazy("The recommendation"),
    "rationale": gettext_lazy("Why"),
    "addressed_to": gettext_lazy("Who should act"),
}


def get_recommendation(access, number, *related):
    """The recommendation numbered `number` in this jury, or 404."""
    return get_object_or_404(
        Recommendation.objects.select_related(
            "jury", "theme", "proposed_by", "merged_into", *related
        ),
        jury=access.jury,
        number=number,
    )


def page(request, template, access, status=200, **context):
    context = {"access": access, "jury": access.jury, "may": access.may, **context}
    return render(request, f"voting/drafting/{template}", context, status=status)


def refused_unless_changeable(request, recommendation):
    """A redirect to the recommendation with the reason it cannot change now, or None."""
    reason = drafting.why_locked(recommendation)
    if not reason:
        return None
    messages.error(request, reason)
    return redirect(recommendation.get_absolute_url())


def changes(before, after):
    """Each part of the wording, with a word diff against `before` (None: shown as it is)."""
    rows = []
    for name in drafting.FIELDS:
        new = getattr(after, name)
        old = getattr(before, name) if before is not None else new
        rows.append(
            {
                "label": FIELD_LABELS[name],
                "text": new,
                "changed": old != new,
                "diff": word_diff(old, new),
            }
        )
    return rows


def where_they_stand(jury, active):
    """What the list says of the recommendations still standing, following the jury's stage:
    ("drafted" | "ready" | "voting" | "voted", how many, how many adopted). Reads each one's
    `result` (the final round's: an indicative round decides nothing): fetch it `with_result()`."""
    voted = [r for r in active if r.result is not None and not r.result.vote.indicative]
    if voted:
        return "voted", len(voted), sum(1 for r in voted if r.is_adopted)
    if Stage(jury.stage).position < Stage.DECISION.position:
        return "drafted", len(active), 0
    if jury.votes.filter(state=VoteState.OPEN).exists():
        return "voting", len(active), 0
    return "ready", len(active), 0


@login_required
def recommendation_list(request, slug):
    access = get_jury_for(request.user, slug, action=Action.VIEW_RECOMMENDATIONS)
    recommendations = list(
        access.jury.recommendations.select_related("proposed_by", "merged_into")
        .with_result()
        .annotate(
            citation_count=Count("citations", distinct=True),
            open_amendments=Count(
                "amendments",
                filter=Q(amendments__state__in=AmendmentState.undecided()),
                distinct=True,
            ),
        )
        .order_by("number")
    )
    active = [r for r in recommendations if r.state == RecommendationState.ACTIVE]
    groups = []
    for theme in access.jury.themes.all():
        groups.append((theme, [r for r in active if r.theme_id == theme.pk]))
    unthemed = [r for r in active if r.theme_id is None]
    return page(
        request,
        "list.html",
        access,
        groups=groups,
        unthemed=unthemed,
        active_count=len(active),
        standing=where_they_stand(access.jury, active),
        merged=[r for r in recommendations if r.state == RecommendationState.MERGED],
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def recommendation_create(request, slug):
    access = get_jury_for(request.user, slug, action=Action.DRAFT_RECOMMENDATIONS)
    data = request.POST if request.method == "POST" else None
    form = ProposeForm(data, jury=access.jury, initial={"theme": request.GET.get("theme")})
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = drafting.propose(
                access.jury,
                request.user,
                **form.wording(),
                theme=form.cleaned_data["theme"],
                citations=form.targets(),
            )
        except refusals.Refused as error:
            refusals.on_form(form, error)
        else:
            messages.success(
                request,
                _("Your recommendation is number %(number)s. The other jurors can now see it.")
                % {"number": recommendation.number},
            )
            return redirect(recommendation.get_absolute_url())
    return page(request, "propose.html", access, status=400 if form.errors else 200, form=form)


def _amendments(recommendation, user):
    mine = AmendmentVote.objects.filter(amendment=OuterRef("pk"), juror=user).values("agree")
    amendments = list(
        recommendation.amendments.select_related("proposed_by", "decided_by", "based_on")
        .annotate(vote_count=Count("votes"), my_vote=Subquery(mine[:1]))
        .order_by("-created_at", "-id")
    )
    for amendment in amendments:
        amendment.changes = changes(amendment.based_on or recommendation, amendment)
    return amendments


@login_required
def recommendation_detail(request, slug, number):
    access = get_jury_for(request.user, slug, action=Action.VIEW_RECOMMENDATIONS)
    recommendation = get_recommendation(access, number)
    citations = recommendation.citations.select_related(
        "item", "question__witness", "post__thread", "post__author"
    )
    locked = drafting.why_locked(recommendation)
    set_theme_form = None
    if access.may[Action.MANAGE_RECOMMENDATIONS] and not locked:
        set_theme_form = SetThemeForm(jury=access.jury, initial={"theme": recommendation.theme_id})
    return page(
        request,
        "detail.html",
        access,
        recommendation=recommendation,
        citations=citations,
        amendments=_amendments(recommendation, request.user),
        merged_from=recommendation.merged.order_by("number"),
        locked=locked,
        set_theme_form=set_theme_form,
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def recommendation_revise(request, slug, number):
    access = get_jury_for(request.user, slug, action=Action.DRAFT_RECOMMENDATIONS)
    recommendation = get_recommendation(access, number)
    refused = refused_unless_changeable(request, recommendation)
    if refused:
        return refused
    data = request.POST if request.method == "POST" else None
    initial = {**wording_of(recommendation), "base": recommendation.revision_count}
    form = ReviseForm(data, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            drafting.revise(
                recommendation,
                request.user,
                **form.wording(),
                note=form.cleaned_data["note"],
                base=form.cleaned_data["base"],
            )
        except refusals.Refused as error:
            refusals.on_form(form, error)
            # The typed text stays; the page now starts from the newest version, so saving
            # again (after checking the history) is a deliberate choice.
            recommendation.refresh_from_db()
            show_versions(form, base=recommendation.revision_count)
        else:
            messages.success(
                request, _("Your changes are saved. The earlier wording is kept in the history.")
            )
            return redirect(recommendation.get_absolute_url())
    return page(
        request,
        "revise.html",
        access,
        status=400 if form.errors else 200,
        recommendation=recommendation,
        form=form,
    )


@login_required
def recommendation_history(request, slug, number):
    access = get_jury_for(request.user, slug, action=Action.VIEW_RECOMMENDATIONS)
    recommendation = get_recommendation(access, number)
    revisions = list(recommendation.revisions.select_related("author").order_by("number"))
    previous = None
    for revision in revisions:
        revision.changes = changes(previous, revision)
        revision.first = previous is None
        previous = revision
    revisions.reverse()  # newest first: what people come to see
    return page(
        request,
        "history.html",
        access,
        recommendation=recommendation,
        revisions=revisions,
        merged_from=recommendation.merged.order_by("number"),
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def recommendation_citations(request, slug, number):
    access = get_jury_for(request.user, slug, action=Action.DRAFT_RECOMMENDATIONS)
    recommendation = get_recommendation(access, number)
    refused = refused_unless_changeable(request, recommendation)
    if refused:
        return refused
    data = request.POST if request.method == "POST" else None
    form = CitationsForm(data, recommendation=recommendation)
    if request.method == "POST" and form.is_valid():
        try:
            drafting.update_citations(
                recommendation, request.user, form.targets(), shown=form.cleaned_data["shown"]
            )
        except refusals.Refused as error:
            refusals.on_form(form, error)
        else:
            messages.success(request, _("The evidence this recommendation cites is saved."))
            return redirect(recommendation.get_absolute_url())
    return page(
        request,
        "citations.html",
        access,
        status=400 if form.errors else 200,
        recommendation=recommendation,
        form=form,
    )
