"""The draw's pages: the facilitators' selection overview and draw page, and the public page.

Thin views over `juries.selection.draws`: each fetches and authorises with `get_jury_for` (or
`get_public_jury`), calls one service and renders or redirects. Observers read the same pages
without the controls and without anyone's name or address (`Action.VIEW_VOLUNTEERS`).
Forms that act on a draw carry its id, so nobody publishes or seeds a draw they have not seen.
"""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from juries import refusals
from juries.idempotency import once
from juries.models import DrawState, Place, PlaceKind, PlaceState, Recruitment
from juries.permissions import Action, get_jury_for

from .. import draws, figures, panel, pool_check
from ..forms.draws import ReplaceForm, SeedForm, SeedRuleForm

RESERVES_SHOWN = 20
RESERVES_PER_PAGE = 100


def _percent(probability):
    return None if probability is None else probability * 100


# --- the overview -----------------------------------------------------------------------------


def _next_step(recruitment, composition, draw):
    """The one thing to do next, as words and the page that does it: the first that applies."""
    slug = recruitment.jury.slug
    draw_url = reverse("juries:draw", args=[slug])
    state = draw.state if draw is not None else None
    steps = [
        (
            recruitment.is_open,
            _("Close recruitment when enough people have registered."),
            reverse("juries:recruitment", args=[slug]),
        ),
        (
            not composition.categories,
            _("Add the questions and quotas for the lottery."),
            reverse("juries:quotas", args=[slug]),
        ),
        (
            state in (None, DrawState.FAILED, DrawState.CANCELLED),
            _("Compute the fairest lottery for this pool."),
            draw_url,
        ),
        (draw is not None and draw.is_working, _("Follow the computation."), draw_url),
        (
            state == DrawState.COMPUTED,
            _("Check the distribution and publish it."),
            draw_url,
        ),
        (state == DrawState.PUBLISHED, _("Enter the public seed to draw the panel."), draw_url),
        (
            draw is not None and draw.invitations_sent_at is None,
            _("Invite the people selected."),
            draw_url,
        ),
    ]
    for applies, text, url in steps:
        if applies:
            return {"text": text, "url": url}
    return {"text": _("Follow the invitations, and replace anyone who drops out."), "url": draw_url}


@login_required
@require_GET
def selection(request, slug):
    access = get_jury_for(request.user, slug, action=Action.VIEW_SELECTION)
    jury = access.jury
    recruitment = Recruitment.objects.of(jury)
    composition = pool_check.composition(jury)
    draw = draws.current_draw(jury)
    return render(
        request,
        "juries/selection/draw_overview.html",
        {
            "access": access,
            "jury": jury,
            "recruitment": recruitment,
            "counts": jury.volunteers.counts(),
            "composition": composition,
            "draw": draw,
            "next_step": _next_step(recruitment, composition, draw),
            "recruitment_url": reverse("juries:recruitment", args=[slug]),
            "volunteers_url": reverse("juries:volunteer-list", args=[slug]),
            "quotas_url": reverse("juries:quotas", args=[slug]),
        },
    )


# --- the draw page ----------------------------------------------------------------------------


def _status_context(draw):
    """What the status region says while the lottery is computed, and a key that changes only
    when those words do (so the page swaps, and a screen reader speaks, only on a change)."""
    minutes = 0
    if draw.started_at is not None:
        minutes = int((timezone.now() - draw.started_at).total_seconds() // 60)
    cap_minutes = max(1, round(draw.time_cap_seconds / 60))
    return {
        "elapsed_minutes": minutes,
        "cap_minutes": cap_minutes,
        "seen": f"{draw.state}-{draw.levels_fixed}-{minutes}",
    }


def _place_state(place):
    if place.invitation is not None and place.invitation.accepted_at is not None:
        return PlaceState.JOINED.label
    return place.get_state_display()


def _rows(draw, places, show_names):
    """Table rows for places: the answers come from the draw's own pseudonymised snapshot."""
    pool = draw.inputs.get("pool", {})
    names = [category["name"] for category in draw.inputs.get("categories", [])]
    return [
        {
            "place": place,
            "answers": [pool.get(place.pseudonym, {}).get(name, "–") for name in names],
            "state": _place_state(place),
            "volunteer": place.volunteer if show_names else None,
        }
        for place in places
    ]


def _panel_summary(places):
    """The panel in aggregate, for observers: how many are invited or have joined. No row can
    be linked to a person (the answers are counted in the panel against the quotas)."""
    states = Counter(_place_state(place) for place in places)
    return {"states": sorted(states.items())}


def _drawn_context(draw, show_names):
    places = list(panel.panel_places(draw))
    against_quotas = {"panel_quotas": figures.panel_against_quotas(draw, places)}
    if not show_names:
        return {
            **against_quotas,
            "panel_summary": _panel_summary(places),
            "reserve_count": draw.places.filter(kind=PlaceKind.RESERVE).count(),
            "replacement_count": draw.replacements.count(),
        }
    reserves = draw.places.filter(kind=PlaceKind.RESERVE).select_related(
        "volunteer", "invitation", "replaces"
    )
    return {
        **against_quotas,
        "category_names": [category["name"] for category in draw.inputs.get("categories", [])],
        "panel": _rows(draw, panel.panel_places(draw).select_related("replaces"), show_names),
        "reserves": _rows(draw, reserves[:RESERVES_SHOWN], show_names),
        "reserve_count": reserves.count(),
        "replacements": draw.replacements.select_related("leaving", "joining", "made_by"),
    }


def _render_draw(request, access, draw, seed_form=None, status=200):
    jury = access.jury
    context = {
        "access": access,
        "jury": jury,
        "draw": draw,
        "recruitment": Recruitment.objects.of(jury),
        "pool_size": jury.volunteers.counts()["in_pool"],
        "quotas_url": reverse("juries:quotas", args=[jury.slug]),
        "seed_form": seed_form or SeedForm(numbers=None),
    }
    if draw is not None and draw.awaits_seed:
        context["too_early"] = draws.too_early_for_seed(draw)
    if draw is not None and draw.is_working:
        context.update(_status_context(draw))
    if draw is not None and draw.commitment:
        context["lowest_percent"] = _percent(draw.lowest_probability)
        context["mean_percent"] = _percent(draw.mean_probability)
        context["spread"] = figures.chance_spread(draw.commitment)
    if draw is not None and draw.state == DrawState.DRAWN:
        context.update(_drawn_context(draw, access.may[Action.VIEW_VOLUNTEERS]))
    return render(request, "juries/selection/draw_page.html", context, status=status)


def _status(request, access, draw):
    """The status region on its own, for the page to ask again every few seconds (htmx). When
    the computation has ended, the whole page is reloaded to show the result."""
    if draw is None or not draw.is_working:
        if request.htmx:
            return HttpResponseClientRefresh()
        return redirect("juries:draw", access.jury.slug)
    context = {"access": access, "jury": access.jury, "draw": draw, **_status_context(draw)}
    if request.GET.get("seen") == context["seen"]:
        return HttpResponse(status=204)
    return render(request, "juries/selection/draw_page.html#draw-status", context)


@login_required
@require_GET
def draw_page(request, slug):
    access = get_jury_for(request.user, slug, action=Action.VIEW_SELECTION)
    draw = draws.current_draw(access.jury)
    if request.GET.get("part") == "status":
        return _status(request, access, draw)
    return _render_draw(request, access, draw)


@login_required
@require_GET
def draw_reserves(request, slug):
    """The whole reserve list, in the order reserves are called (facilitators only)."""
    access = get_jury_for(request.user, slug, action=Action.VIEW_VOLUNTEERS)
    draw = draws.current_draw(access.jury)
    if draw is None or draw.state != DrawState.DRAWN:
        return redirect("juries:draw", slug)
    reserves = draw.places.filter(kind=PlaceKind.RESERVE).select_related(
        "volunteer", "invitation", "replaces"
    )
    page = Paginator(reserves, RESERVES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "juries/selection/draw_reserves.html",
        {
            "access": access,
            "jury": access.jury,
            "draw": draw,
            "page": page,
            "category_names": [c["name"] for c in draw.inputs.get("categories", [])],
            "reserves": _rows(draw, page.object_list, access.may[Action.VIEW_VOLUNTEERS]),
        },
    )


# --- acting on the draw -----------------------------------------------------------------------


def _posted_draw(request, jury):
    """The draw a form was about, if it is still the jury's current draw. Raises DrawError."""
    draw = draws.current_draw(jury)
    if draw is None or str(draw.pk) != request.POST.get("draw", ""):
        raise draws.DrawError(
            _("The draw has changed since you opened the page. Check it, then try again.")
        )
    return draw


@login_required
@require_POST
@once
def draw_start(request, slug):
    access = get_jury_for(request.user, slug, action=Action.RUN_DRAW)
    try:
        draws.start_draw(jury=access.jury, by=request.user)
    except refusals.Refused as error:
        refusals.show(request, error)
    else:
        messages.success(request, _("The lottery is being computed."))
    return redirect("juries:draw", slug)


@login_required
@require_POST
@once
def draw_cancel(request, slug):
    access = get_jury_for(request.user, slug, action=Action.RUN_DRAW)
    try:
        draws.cancel_draw(draw=_posted_draw(request, access.jury), by=request.user)
    except refusals.Refused as error:
        refusals.show(request, error)
    else:
        messages.success(request, _("The computation has been cancelled."))
    return redirect("juries:draw", slug)


@login_required
@require_http_methods(["GET", "POST"])
@once
def draw_publish(request, slug):
    """GET: what publishing means, and the seed rule to declare. POST: publish."""
    access = get_jury_for(request.user, slug, action=Action.RUN_DRAW)
    draw = draws.current_draw(access.jury)
    form = SeedRuleForm(request.POST if request.method == "POST" else None)
    if request.method == "GET" and (draw is None or draw.state != DrawState.COMPUTED):
        messages.info(request, _("There is no computed lottery waiting to be published."))
        return redirect("juries:draw", slug)
    if form.is_valid():
        try:
            draws.publish_distribution(
                draw=_posted_draw(request, access.jury),
                by=request.user,
                seed_source=form.cleaned_data["source"],
                seed_numbers=form.cleaned_data["numbers"],
                seed_date=form.cleaned_data["date"],
            )
        except refusals.Refused as error:
            refusals.show(request, error)
        else:
            messages.success(request, _("The distribution is public. Now wait for the seed."))
        return redirect("juries:draw", slug)
    context = {"access": access, "jury": access.jury, "draw": draw, "form": form}
    return render(request, "juries/selection/draw_publish.html", context)


@login_required
@require_POST
@once
def draw_seed(request, slug):
    """Two steps: the form is checked and shown back for confirmation; the confirmed form
    draws the panel. Mistakes show the draw page again with what was typed."""
    access = get_jury_for(request.user, slug, action=Action.RUN_DRAW)
    try:
        draw = _posted_draw(request, access.jury)
        if draw.state != DrawState.PUBLISHED:
            raise draws.DrawError(
                _("The seed can only be entered once, after the distribution is published.")
            )
        too_early = draws.too_early_for_seed(draw)
        if too_early:
            raise draws.DrawError(too_early)
    except refusals.Refused as error:
        refusals.show(request, error)
        return redirect("juries:draw", slug)
    form = SeedForm(request.POST, numbers=draw.commitment["seed_rule"]["numbers"])
    if not form.is_valid() or request.POST.get("step") == "change":
        return _render_draw(request, access, draw, seed_form=form, status=200)
    if request.POST.get("step") != "confirm":
        context = {"access": access, "jury": access.jury, "draw": draw, "form": form}
        return render(request, "juries/selection/draw_seed_confirm.html", context)
    try:
        draws.enter_seed(draw=draw, seed=form.cleaned_data["seed"], by=request.user)
    except refusals.Refused as error:  # entered by someone else meanwhile
        refusals.show(request, error)
        return redirect("juries:draw", slug)
    messages.success(request, _("The panel and the reserve list have been drawn."))
    return redirect("juries:draw", slug)


@login_required
@require_POST
@once
def draw_invite(request, slug):
    access = get_jury_for(request.user, slug, action=Action.RUN_DRAW)
    try:
        draw = _posted_draw(request, access.jury)
        if draw.invitations_sent_at is not None:
            raise draws.DrawError(_("The invitations have already been sent."))
        result = panel.invite_selected(draw=draw, by=request.user, request=request)
    except refusals.Refused as error:
        refusals.show(request, error)
        return redirect("juries:draw", slug)
    messages.success(
        request,
        ngettext("%(count)s invitation sent.", "%(count)s invitations sent.", result.sent)
        % {"count": result.sent},
    )
    _report_what_was_not_invited(request, result)
    return redirect("juries:draw", slug)


def _report_what_was_not_invited(request, result):
    if result.open_seats:
        messages.warning(
            request,
            ngettext(
                "%(count)s place is empty: the person withdrew and no one on the reserve list "
                "keeps every quota met.",
                "%(count)s places are empty: the people withdrew and no one on the reserve list "
                "keeps every quota met.",
                result.open_seats,
            )
            % {"count": result.open_seats},
        )
    for pseudonym, problem in result.not_invited:
        messages.warning(
            request,
            _("%(pseudonym)s was not invited: %(problem)s")
            % {"pseudonym": pseudonym, "problem": problem},
        )


@login_required
@require_http_methods(["GET", "POST"])
@once
def draw_replace(request, slug, place_id):
    """Replace someone on the panel with the first reserve who keeps the quotas met."""
    access = get_jury_for(request.user, slug, action=Action.REPLACE_JURORS)
    place = get_object_or_404(
        Place.objects.select_related("draw", "volunteer"),
        pk=place_id,
        draw__jury=access.jury,
        draw__state=DrawState.DRAWN,
    )
    if not panel.panel_places(place.draw).filter(pk=place.pk).exists():
        messages.info(
            request, _("%(name)s is not on the panel any more.") % {"name": place.pseudonym}
        )
        return redirect("juries:draw", slug)
    form = ReplaceForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            joining = panel.replace(
                place=place, reason=form.cleaned_data["reason"], by=request.user, request=request
            )
        except refusals.Refused as error:
            refusals.on_form(form, error)
        else:
            messages.success(
                request,
                _("%(joining)s takes the place of %(leaving)s.")
                % {"joining": joining.pseudonym, "leaving": place.pseudonym},
            )
            if joining.invite_problem:
                messages.warning(
                    request,
                    _("%(pseudonym)s could not be invited: %(problem)s")
                    % {"pseudonym": joining.pseudonym, "problem": joining.invite_problem},
                )
            return redirect("juries:draw", slug)
    context = {
        "access": access,
        "jury": access.jury,
        "place": place,
        "form": form,
        "show_names": access.may[Action.VIEW_VOLUNTEERS],
    }
    return render(request, "juries/selection/draw_replace.html", context)


MANAGE = "juries/<slug:slug>/manage/selection/"

urlpatterns = [
    path(MANAGE, selection, name="selection"),
    path(f"{MANAGE}draw/", draw_page, name="draw"),
    path(f"{MANAGE}draw/reserves/", draw_reserves, name="draw-reserves"),
    path(f"{MANAGE}draw/start/", draw_start, name="draw-start"),
    path(f"{MANAGE}draw/cancel/", draw_cancel, name="draw-cancel"),
    path(f"{MANAGE}draw/publish/", draw_publish, name="draw-publish"),
    path(f"{MANAGE}draw/seed/", draw_seed, name="draw-seed"),
    path(f"{MANAGE}draw/invite/", draw_invite, name="draw-invite"),
    path(f"{MANAGE}draw/places/<int:place_id>/replace/", draw_replace, name="draw-replace"),
]
