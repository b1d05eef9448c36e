"""Amendments (jurors propose them and vote in quick votes), and the facilitators' drafting pages:
deciding amendments, themes, filing a recommendation under a theme, and merging two."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from juries import refusals
from juries.idempotency import once
from juries.permissions import Action, get_jury_for

from .. import amendments, drafting
from ..forms.drafting import (
    AmendmentForm,
    ChooseOtherForm,
    DecideForm,
    MergeForm,
    SetThemeForm,
    ThemeForm,
    show_versions,
    wording_of,
)
from ..models import Amendment, AmendmentState, Theme
from .drafting_pages import changes, get_recommendation, page, refused_unless_changeable


def get_amendment(recommendation, amendment_id):
    return get_object_or_404(
        Amendment.objects.select_related("proposed_by", "decided_by", "based_on"),
        recommendation=recommendation,
        pk=amendment_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def amendment_create(request, slug, number):
    access = get_jury_for(request.user, slug, action=Action.DRAFT_RECOMMENDATIONS)
    recommendation = get_recommendation(access, number)
    refused = refused_unless_changeable(request, recommendation)
    if refused:
        return refused
    data = request.POST if request.method == "POST" else None
    form = AmendmentForm(data, initial=wording_of(recommendation))
    if request.method == "POST" and form.is_valid():
        try:
            amendment = amendments.propose_amendment(
                recommendation, request.user, **form.wording(), reason=form.cleaned_data["reason"]
            )
        except refusals.Refused as error:
            refusals.on_form(form, error)
        else:
            messages.success(
                request,
                _("Your amendment is proposed. The facilitators will ask the jury about it."),
            )
            return redirect(f"{recommendation.get_absolute_url()}#amendment-{amendment.pk}")
    return page(
        request,
        "amend.html",
        access,
        status=400 if form.errors else 200,
        recommendation=recommendation,
        form=form,
    )


@login_required
@require_POST
@once
def amendment_vote(request, slug, number, amendment_id):
    """A juror's yes or no in a quick vote on an amendment."""
    access = get_jury_for(request.user, slug, action=Action.DRAFT_RECOMMENDATIONS)
    recommendation = get_recommendation(access, number)
    amendment = get_amendment(recommendation, amendment_id)
    answer = request.POST.get("agree")
    if answer not in ("yes", "no"):
        messages.error(request, _("Choose yes or no."))
    else:
        try:
            amendments.vote_on_amendment(amendment, request.user, answer == "yes")
        except refusals.Refused as error:
            refusals.show(request, error)
        else:
            messages.success(
                request,
                _(
                    "Your answer is recorded. You can change it until the facilitators close the vote."
                ),
            )
    return redirect(f"{recommendation.get_absolute_url()}#amendment-{amendment.pk}")


DECISIONS = {
    "accept": (
        lambda a, by, note: amendments.accept_amendment(a, by, note),
        gettext_lazy("The amendment is accepted. Its wording is now the recommendation's."),
    ),
    "reject": (
        lambda a, by, note: amendments.reject_amendment(a, by, note),
        gettext_lazy("The amendment is set aside."),
    ),
    "vote": (
        lambda a, by, note: amendments.put_amendment_to_vote(a, by),
        gettext_lazy("The jurors can now say yes or no to the amendment."),
    ),
    "close": (
        lambda a, by, note: amendments.close_amendment_vote(a, by),
        gettext_lazy("The quick vote is closed."),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
@once
def amendment_decide(request, slug, number, amendment_id):
    """Accept an amendment on consensus, set it aside, put it to a quick vote or close that."""
    access = get_jury_for(request.user, slug, action=Action.MANAGE_RECOMMENDATIONS)
    recommendation = get_recommendation(access, number)
    amendment = get_amendment(recommendation, amendment_id)
    form = DecideForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        decision = DECISIONS.get(request.POST.get("do"))
        if decision is None:
            form.add_error(None, _("Choose what to do with the amendment."))
        else:
            service, done = decision
            try:
                service(amendment, request.user, form.cleaned_data["note"])
            except refusals.Refused as error:
                refusals.on_form(form, error)
            else:
                messages.success(request, done)
                return redirect(f"{recommendation.get_absolute_url()}#amendment-{amendment.pk}")
    return page(
        request,
        "decide.html",
        access,
        status=400 if form.errors else 200,
        recommendation=recommendation,
        amendment=amendment,
        changes=changes(recommendation, amendment),
        vote_count=amendment.votes.count(),
        states=AmendmentState,
        locked=drafting.why_locked(recommendation),
        outdated=amendment.is_undecided and amendments.is_outdated(amendment, recommendation),
        form=form,
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def theme_edit(request, slug, theme_id=None):
    access = get_jury_for(request.user, slug, action=Action.MANAGE_RECOMMENDATIONS)
    theme = get_object_or_404(Theme, jury=access.jury, pk=theme_id) if theme_id else None
    initial = {"title": theme.title, "description": theme.description} if theme else None
    form = ThemeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if theme is None:
                theme = drafting.create_theme(access.jury, request.user, **form.cleaned_data)
            else:
                drafting.edit_theme(theme, request.user, **form.cleaned_data)
        except refusals.Refused as error:
            refusals.on_form(form, error, "title")
        else:
            messages.success(request, _("The theme is saved."))
            return redirect(f"{reverse('voting:recommendations', args=[slug])}#theme-{theme.pk}")
    return page(
        request,
        "theme_form.html",
        access,
        status=400 if form.errors else 200,
        theme=theme,
        form=form,
    )


@login_required
@require_POST
@once
def set_theme(request, slug, number):
    access = get_jury_for(request.user, slug, action=Action.MANAGE_RECOMMENDATIONS)
    recommendation = get_recommendation(access, number)
    form = SetThemeForm(request.POST, jury=access.jury)
    if not form.is_valid():
        messages.error(request, _("Choose one of this jury's themes."))
        return redirect(recommendation.get_absolute_url())
    try:
        drafting.set_theme(recommendation, request.user, form.cleaned_data["theme"])
    except refusals.Refused as error:
        refusals.show(request, error)
    else:
        messages.success(request, _("The recommendation's theme is saved."))
    return redirect(recommendation.get_absolute_url())


def merged_wording(keep, other):
    """The merge form's starting point: both wordings, one after the other."""
    addressed = keep.addressed_to
    if other.addressed_to.casefold() != addressed.casefold():
        addressed = f"{addressed}; {other.addressed_to}"[:200]
    return {
        "statement": f"{keep.statement}\n\n{other.statement}",
        "rationale": f"{keep.rationale}\n\n{other.rationale}",
        "addressed_to": addressed,
    }


def _merge(request, keep, other, form):
    """Merge with the posted wording: a redirect when done, None (errors on `form`) if not."""
    try:
        drafting.merge(
            keep,
            other,
            request.user,
            **form.wording(),
            note=form.cleaned_data["note"],
            base=form.cleaned_data["base"],
            other_base=form.cleaned_data["other_base"],
        )
    except refusals.Refused as error:
        refusals.on_form(form, error)
        # Shown again from the newest versions, so merging again is a deliberate choice.
        keep.refresh_from_db()
        other.refresh_from_db()
        show_versions(form, base=keep.revision_count, other_base=other.revision_count)
        return None
    messages.success(
        request,
        _("Recommendation %(other)s is merged into this one. Both histories are kept.")
        % {"other": other.number},
    )
    return redirect(keep.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
@once
def merge(request, slug, number):
    """Merge another recommendation into this one. First choose it (a GET form, so it works
    without JavaScript), then edit the merged wording, which starts as both wordings."""
    access = get_jury_for(request.user, slug, action=Action.MANAGE_RECOMMENDATIONS)
    keep = get_recommendation(access, number)
    refused = refused_unless_changeable(request, keep)
    if refused:
        return refused
    posted = request.method == "POST"
    chosen_data = request.POST if posted else (request.GET if "other" in request.GET else None)
    chooser = ChooseOtherForm(chosen_data, recommendation=keep)
    form = None
    if chooser.is_bound and chooser.is_valid():
        other = chooser.cleaned_data["other"]
        initial = {
            **merged_wording(keep, other),
            "base": keep.revision_count,
            "other_base": other.revision_count,
        }
        form = MergeForm(request.POST if posted else None, initial=initial)
        if posted and form.is_valid():
            done = _merge(request, keep, other, form)
            if done:
                return done
    elif posted:
        # The chosen recommendation can no longer be merged (merged away meanwhile, say): show
        # the typed wording again, with the chooser, so nothing typed is lost. Its version is
        # unknown for whichever one is chosen next, so it is not checked.
        form = MergeForm(request.POST)
        form.is_valid()
        show_versions(form, other_base=None)
    failed = chooser.is_bound and (chooser.errors or (form is not None and form.errors))
    return page(
        request,
        "merge.html",
        access,
        status=400 if failed else 200,
        recommendation=keep,
        chooser=chooser,
        form=form,
    )
