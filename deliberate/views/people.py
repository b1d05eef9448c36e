"""Participation (for facilitators and observers) and each person's notification choice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from evidence.models import Reading
from juries import charts
from juries.permissions import Action, get_jury_for

from .. import room as room_service
from ..forms import NotificationForm
from ..models import NotificationChoice, Post, PostState, Presence, Turn


@login_required
def participation(request, slug):
    """Per juror: posts written, evidence read, sittings attended, turns and time spoken. To see
    who is quiet and may need a call, never to rank people: listed by name."""
    access = get_jury_for(request.user, slug, action=Action.VIEW_PARTICIPATION)
    jury = access.jury
    jurors = list(jury.memberships.jurors().select_related("user").order_by("user__display_name"))
    posts = dict(
        Post.objects.filter(thread__jury=jury, state=PostState.VISIBLE)
        .values_list("author_id")
        .annotate(n=Count("pk"))
    )
    readings = dict(
        Reading.objects.filter(item__pack__jury=jury).values_list("user_id").annotate(n=Count("pk"))
    )
    attended = dict(
        Turn.objects.filter(room__sitting__jury=jury)
        .values_list("user_id")
        .annotate(n=Count("room", distinct=True))
    )
    present = dict(
        Presence.objects.filter(room__sitting__jury=jury)
        .values_list("user_id")
        .annotate(n=Count("room", distinct=True))
    )
    balance = room_service.participation_balance(Turn.objects.filter(room__sitting__jury=jury))
    rows = []
    for membership in jurors:
        user_id = membership.user_id
        turns, seconds = balance.get(user_id, (0, 0))
        row = {
            "name": membership.user.public_name,
            "posts": posts.get(user_id, 0),
            "read": readings.get(user_id, 0),
            "sittings": max(attended.get(user_id, 0), present.get(user_id, 0)),
            "turns": turns,
            "minutes": round(seconds / 60, 1),
        }
        row["quiet"] = row["posts"] == 0 and row["turns"] == 0
        rows.append(row)
    return render(
        request,
        "deliberate/participation.html",
        {
            "access": access,
            "jury": jury,
            "rows": rows,
            "quiet": sum(r["quiet"] for r in rows),
            "chart": _participation_chart(rows) if rows else None,
        },
    )


def _participation_chart(rows):
    """Posts and turns per juror as bars on one scale; a quiet juror's label says so in words."""
    return charts.bar_chart(
        "participation",
        _("Posts and turns at sittings, per juror"),
        _(
            "Two bars for each juror, in the order of the table: posts written in the "
            "discussions, and turns taken at sittings. Jurors who have done neither are marked "
            "“quiet so far” in their label."
        ),
        [charts.Key(_("Posts"), "blue"), charts.Key(_("Turns at sittings"), "green", "hatch")],
        [
            (
                _("%(name)s (quiet so far)") % {"name": row["name"]}
                if row["quiet"]
                else row["name"],
                [row["posts"], row["turns"]],
            )
            for row in rows
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    choice, _created = NotificationChoice.objects.get_or_create(user=request.user)
    form = NotificationForm(request.POST if request.method == "POST" else None, instance=choice)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your email choice has been saved."))
        return redirect("deliberate:notifications")
    return render(request, "deliberate/notifications.html", {"form": form})


urlpatterns = [
    path("account/notifications/", notifications, name="notifications"),
    path("juries/<slug:slug>/discussions/participation/", participation, name="participation"),
]
