"""Evidence packs for a jury's members, and the facilitators' pages for building them."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from juries import charts
from juries.idempotency import once
from juries.permissions import Action, get_jury_for, get_public_jury

from .. import packs as pack_service
from ..forms import ItemForm, PackForm
from ..glossary import item_body
from ..models import (
    EvidenceItem,
    EvidencePack,
    ItemVisibility,
    QuestionState,
    Reading,
    Standpoint,
)

INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}


def _packs(access):
    """The packs this person may see: drafts too for facilitators and observers."""
    packs = access.jury.evidence_packs.all()
    if not access.may[Action.VIEW_DRAFT_EVIDENCE]:
        packs = packs.published()
    return packs.prefetch_related(
        Prefetch("items", queryset=EvidenceItem.objects.order_by("position", "id"))
    )


@login_required
def evidence_index(request, slug):
    access = get_jury_for(request.user, slug, action=Action.VIEW_EVIDENCE)
    packs = list(_packs(access))
    items = [item for pack in packs for item in pack.items.all()]
    states = pack_service.reading_states(request.user, items)
    for pack in packs:
        pack_items = pack.items.all()
        pack.read_count = sum(states[i.pk] == "read" for i in pack_items)
        pack.updated_count = sum(states[i.pk] == "updated" for i in pack_items)
        pack.minutes = sum(i.reading_minutes for i in pack_items)
        if pack_items:
            pack.progress = _progress_chart(pack, len(pack_items))
    help_rows = opened_chart = None
    if access.may[Action.VIEW_READING_PROGRESS]:
        published = [pack for pack in packs if pack.published_at]
        help_rows = pack_service.who_may_need_help(access.jury, published)
        if help_rows and help_rows[0]["jurors"]:
            opened_chart = _opened_chart(help_rows)
    context = {"access": access, "jury": access.jury, "packs": packs, "help_rows": help_rows}
    return render(request, "evidence/index.html", {**context, "opened_chart": opened_chart})


def _progress_chart(pack, total):
    return charts.progress_bar(
        f"read-{pack.pk}",
        _("Your reading of “%(pack)s”") % {"pack": pack.title},
        _("Items you have read in this pack, as it is now, out of all its items."),
        pack.read_count,
        total,
    )


def _opened_chart(help_rows):
    """Per published pack: how many jurors have opened at least one of its items, and how many
    not yet (counts only: nobody is ranked or named)."""
    return charts.stacked_bars(
        "opened",
        _("Jurors who have opened each pack"),
        _(
            "One bar per published pack, the whole of the jury: the jurors who have opened at "
            "least one of its items, then those who have not opened it yet."
        ),
        [
            charts.Key(_("Opened"), "blue"),
            charts.Key(_("Not opened yet"), "grey-light", "hatch"),
        ],
        [
            (row["pack"].title, [row["jurors"] - row["not_opened"], row["not_opened"]])
            for row in help_rows
        ],
        value_heading=_("Jurors"),
    )


@login_required
def pack_detail(request, slug, pack_id):
    access = get_jury_for(request.user, slug, action=Action.VIEW_EVIDENCE)
    pack = get_object_or_404(_packs(access), pk=pack_id)
    items = list(pack.items.all())
    states = pack_service.reading_states(request.user, items)
    for item in items:
        item.state = states[item.pk]
    return render(
        request,
        "evidence/pack_detail.html",
        {"access": access, "jury": access.jury, "pack": pack, "items": items},
    )


def _item(access, item_id):
    items = EvidenceItem.objects.select_related("pack").filter(pack__jury=access.jury)
    if not access.may[Action.VIEW_DRAFT_EVIDENCE]:
        items = items.filter(pack__published_at__isnull=False)
    return get_object_or_404(items, pk=item_id)


@login_required
def item_detail(request, slug, item_id):
    """Show an item and note that this person has read it. If it changed since they last read
    it, show what changed first."""
    access = get_jury_for(request.user, slug, action=Action.VIEW_EVIDENCE)
    item = _item(access, item_id)
    earlier = Reading.objects.filter(item=item, user=request.user).first()
    changes = None
    if earlier and earlier.version < item.version:
        changes = pack_service.what_changed(item, earlier.version)
    pack_service.record_reading(item=item, user=request.user)
    body_html, terms_used = item_body(item, access.jury)
    return render(
        request,
        "evidence/item_detail.html",
        {
            "access": access,
            "jury": access.jury,
            "item": item,
            "changes": changes,
            "versions": item.versions.select_related("edited_by"),
            "body_html": body_html,
            "terms_used": terms_used,
            "item_questions": item.questions.exclude(state=QuestionState.MERGED).select_related(
                "answered_by"
            ),
        },
    )


@login_required
def item_file(request, slug, item_id):
    """The uploaded file: to members, and to anyone when both the jury and the item are public."""
    access = get_public_jury(request.user, slug)
    item = _item(access, item_id)
    if not item.file or not (
        access.may[Action.VIEW_EVIDENCE] or item.visibility == ItemVisibility.PUBLIC
    ):
        raise Http404
    content_type = mimetypes.guess_type(item.file.name)[0] or "application/octet-stream"
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        handle,
        content_type=content_type,
        as_attachment=content_type not in INLINE_TYPES,
        filename=item.file.name.rsplit("/", 1)[-1],
    )


@login_required
def balance(request, slug):
    access = get_jury_for(request.user, slug, action=Action.VIEW_EVIDENCE_BALANCE)
    rows, overall = pack_service.balance(list(_packs(access)))
    context = {"access": access, "jury": access.jury, "rows": rows, "overall": overall}
    if rows:
        context["chart"] = _balance_chart(rows)
    return render(request, "evidence/balance.html", context)


# Each standpoint keeps its tone and pattern on every chart, so a reader learns them once.
STANDPOINT_LOOK = {
    Standpoint.COMMISSIONING: ("blue", ""),
    Standpoint.OPERATOR: ("blue-light", "hatch"),
    Standpoint.EXPERT: ("grey-light", "dots"),
    Standpoint.CIVIL_SOCIETY: ("green", "cross"),
    Standpoint.LIVED_EXPERIENCE: ("amber", ""),
    Standpoint.LEGAL: ("grey", "hatch"),
}


def _balance_chart(rows):
    """One bar per pack, split into its items' standpoints (shares of the pack)."""
    keys = [charts.Key(s.label, *STANDPOINT_LOOK[s]) for s in Standpoint]
    return charts.stacked_bars(
        "balance",
        _("Items in each pack by standpoint"),
        _(
            "One bar per pack, each the whole of that pack's items, split by the standpoint "
            "they come from, in the order of the key. A standpoint with no item has no segment."
        ),
        keys,
        [(row["pack"].title, [cell["items"] for cell in row["by_standpoint"]]) for row in rows],
        value_heading=_("Items"),
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def pack_edit(request, slug, pack_id=None):
    access = get_jury_for(request.user, slug, action=Action.MANAGE_EVIDENCE)
    pack = (
        get_object_or_404(access.jury.evidence_packs, pk=pack_id) if pack_id is not None else None
    )
    form = PackForm(request.POST if request.method == "POST" else None, instance=pack)
    if request.method == "POST" and form.is_valid():
        pack = pack_service.save_pack(jury=access.jury, form=form, by=request.user)
        messages.success(request, _("The pack “%(title)s” has been saved.") % {"title": pack.title})
        return redirect("evidence:pack", slug, pack.pk)
    return render(
        request,
        "evidence/pack_form.html",
        {"access": access, "jury": access.jury, "pack": pack, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def item_edit(request, slug, pack_id, item_id=None):
    access = get_jury_for(request.user, slug, action=Action.MANAGE_EVIDENCE)
    pack = get_object_or_404(EvidencePack, pk=pack_id, jury=access.jury)
    item = get_object_or_404(pack.items, pk=item_id) if item_id is not None else None
    form = ItemForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        instance=item,
    )
    if request.method == "POST" and form.is_valid():
        item = pack_service.save_item(
            pack=pack, form=form, by=request.user, change_note=form.cleaned_data["change_note"]
        )
        messages.success(request, _("“%(title)s” has been saved.") % {"title": item.title})
        return redirect("evidence:item", slug, item.pk)
    return render(
        request,
        "evidence/item_form.html",
        {"access": access, "jury": access.jury, "pack": pack, "item": item, "form": form},
    )


@login_required
@require_POST
@once
def pack_publish(request, slug, pack_id):
    """Publish a draft pack to the jury, or take a published one back to draft."""
    access = get_jury_for(request.user, slug, action=Action.MANAGE_EVIDENCE)
    pack = get_object_or_404(access.jury.evidence_packs, pk=pack_id)
    pack_service.set_published(
        pack=pack, published=request.POST.get("publish") == "1", by=request.user
    )
    if pack.published_at:
        messages.success(
            request, _("“%(title)s” is published: jurors can read it now.") % {"title": pack.title}
        )
    else:
        messages.success(
            request,
            _("“%(title)s” is a draft again: jurors no longer see it.") % {"title": pack.title},
        )
    return redirect("evidence:pack", slug, pack.pk)


J = "juries/<slug:slug>/evidence/"

urlpatterns = [
    path(J, evidence_index, name="index"),
    path(J + "balance/", balance, name="balance"),
    path(J + "packs/new/", pack_edit, name="pack-create"),
    path(J + "packs/<int:pack_id>/", pack_detail, name="pack"),
    path(J + "packs/<int:pack_id>/edit/", pack_edit, name="pack-edit"),
    path(J + "packs/<int:pack_id>/publish/", pack_publish, name="pack-publish"),
    path(J + "packs/<int:pack_id>/items/new/", item_edit, name="item-create"),
    path(J + "packs/<int:pack_id>/items/<int:item_id>/edit/", item_edit, name="item-edit"),
    path(J + "items/<int:item_id>/", item_detail, name="item"),
    path(J + "items/<int:item_id>/file/", item_file, name="item-file"),
]
