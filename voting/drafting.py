"""Drafting recommendations: proposing, revising, citing, themes and merging (amendments are in
`voting.amendments`).

Each function owns its transaction and publishes one small event ("recommendation.changed" or
"theme.changed", readable by those allowed Action.VIEW_RECOMMENDATIONS, carrying the number only)
so open pages can update. Facilitators' decisions (themes, merges, amendment decisions) are
recorded in the audit log. Callers have already checked the permission named in each docstring;
these functions still refuse, with a DraftingError whose message is shown as it is, anything the
state of the jury forbids: a change outside the drafting stage, once a vote has opened, or to a
recommendation that was merged away.
"""

import re

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deliberate.models import Post, PostState
from evidence.models import EvidenceItem, Question, QuestionState
from juries import audit, events
from juries.models import Jury, Stage
from juries.permissions import Action
from juries.refusals import Refused

from .models import (
    AmendmentState,
    Citation,
    Recommendation,
    RecommendationState,
    Revision,
    Theme,
    Vote,
    VoteState,
)

FIELDS = ("statement", "rationale", "addressed_to")
POST_LINK = re.compile(r"(?:#post-|/posts/)(\d+)", re.ASCII)
NEWER_VERSION = gettext_lazy(
    "Someone saved a newer version while you were editing. Your text is below: check the "
    "history, then save again."
)
NEWER_VERSION_OF = gettext_lazy(
    "Someone saved a newer version of recommendation %(number)s while you were merging. Your "
    "text is below: check its history, then merge again."
)


class DraftingError(Refused):
    """A change that cannot be made; its message is shown to the person as it is."""


# Who may cite what -------------------------------------------------------------------------


def citable_items(jury):
    """Evidence items jurors can read: those in the jury's published packs."""
    return EvidenceItem.objects.filter(pack__jury=jury, pack__published_at__isnull=False)


def citable_questions(jury):
    """Questions of this jury a witness has answered."""
    return Question.objects.filter(jury=jury, state=QuestionState.ANSWERED)


def citable_posts(jury):
    """Posts shown in this jury's discussions (not hidden, not withdrawn)."""
    return Post.objects.filter(thread__jury=jury, state=PostState.VISIBLE)


def parse_post_ref(text):
    """The post number in a pasted link (".../discussions/12/#post-34") or a bare number."""
    text = (text or "").strip()
    match = POST_LINK.search(text)
    if match:
        return int(match.group(1))
    text = text.lstrip("#")
    # isdigit() is also true for "²" and other digits int() refuses; only 0-9 make a number.
    return int(text) if text.isascii() and text.isdecimal() else None


def find_post(jury, ref):
    """The visible post of this jury that `ref` (a link or a number) points to."""
    number = parse_post_ref(ref)
    post = citable_posts(jury).filter(pk=number).first() if number else None
    if post is None:
        raise DraftingError(
            _("“%(ref)s” is not a link to a post in this jury's discussions.") % {"ref": ref}
        )
    return post


def _check_citable(jury, target):
    checks = {
        EvidenceItem: (citable_items, _("You can only cite evidence from this jury's packs.")),
        Question: (citable_questions, _("You can only cite answered questions of this jury.")),
        Post: (citable_posts, _("You can only cite posts shown in this jury's discussions.")),
    }
    found = checks.get(type(target))
    if found is None:
        raise DraftingError(_("That cannot be cited."))
    citable, message = found
    if not citable(jury).filter(pk=target.pk).exists():
        raise DraftingError(message)


def _citation_lookup(target):
    """The Citation field that holds `target`."""
    field = {EvidenceItem: "item", Question: "question", Post: "post"}.get(type(target))
    if field is None:
        raise DraftingError(_("That cannot be cited."))
    return field


# Guards -------------------------------------------------------------------------------------


def revising_after(jury):
    """The indicative round after which drafting reopened, while the jury revises before its next
    round opens; None otherwise. Its `reopened` (or `reopened_all`) says what may change."""
    started = (
        Vote.objects.filter(jury=jury, state__in=[VoteState.OPEN, VoteState.CLOSED])
        .order_by("-round")
        .first()
    )
    if started is not None and started.is_closed and started.indicative and started.is_reopened:
        return started
    return None


def _why_jury_locked(jury):
    if jury.stage != Stage.DRAFTING:
        return _("Recommendations can only be changed while the jury is drafting.")
    started = (
        Vote.objects.filter(jury=jury, state__in=[VoteState.OPEN, VoteState.CLOSED])
        .order_by("-round")
        .first()
    )
    if started is None or (started.is_closed and started.indicative and started.is_reopened):
        return ""
    if started.is_closed and started.indicative:
        return _(
            "The indicative vote has closed. The facilitators reopen drafting for the "
            "recommendations to revise before the final vote."
        )
    return _("The vote has started, so the recommendations can no longer be changed.")


def why_locked(recommendation):
    """Why `recommendation` cannot be changed now, or "" when it can. After an indicative vote,
    only the recommendations drafting reopened for may change (`rounds.reopen_drafting`)."""
    reason = _why_jury_locked(recommendation.jury)
    if reason:
        return reason
    revising = revising_after(recommendation.jury)
    if (
        revising is not None
        and not revising.reopened_all
        and recommendation.pk not in revising.reopened
        and recommendation.state == RecommendationState.ACTIVE
    ):
        return _(
            "This recommendation reached the threshold in the indicative vote, so it goes to "
            "the final vote as it is."
        )
    if recommendation.state == RecommendationState.MERGED:
        return _(
            "This recommendation was merged into recommendation %(number)s. Change that one instead."
        ) % {"number": recommendation.merged_into.number if recommendation.merged_into else "?"}
    if recommendation.state != RecommendationState.ACTIVE:
        return _("This recommendation was withdrawn, so it can no longer be changed.")
    return ""


def _check_jury_drafting(jury):
    reason = _why_jury_locked(jury)
    if reason:
        raise DraftingError(reason)


def lock_for_change(recommendation):
    """The recommendation's row, locked until commit, after checking it may change."""
    locked = (
        Recommendation.objects.select_for_update().select_related("jury").get(pk=recommendation.pk)
    )
    reason = why_locked(locked)
    if reason:
        raise DraftingError(reason)
    return locked


def check_base(locked, base, message):
    """Refuse with `message` when the person started from another version than the current one
    (`base` is the revision_count their page showed; None: not known, not checked). Call it with
    the row locked, so nobody can save a version between the check and the change."""
    if base is not None and base != locked.revision_count:
        raise DraftingError(str(message))


def clean_wording(statement, rationale, addressed_to):
    wording = {
        "statement": (statement or "").strip(),
        "rationale": (rationale or "").strip(),
        "addressed_to": (addressed_to or "").strip(),
    }
    if not all(wording.values()):
        raise DraftingError(
            _("A recommendation needs its wording, the reasons for it and who should act.")
        )
    return wording


def same_wording(recommendation, wording):
    return all(getattr(recommendation, name) == wording[name] for name in FIELDS)


def announce(jury, *numbers):
    for number in numbers:
        events.publish(
            jury,
            "recommendation.changed",
            requires=Action.VIEW_RECOMMENDATIONS,
            data={"recommendation": number},
        )


def add_revision(recommendation, *, author, wording, note):
    """Make `wording` the current one, kept as the next Revision. The row must be locked."""
    recommendation.revision_count += 1
    for name in FIELDS:
        setattr(recommendation, name, wording[name])
    recommendation.save(update_fields=[*FIELDS, "revision_count", "updated_at"])
    return Revision.objects.create(
        recommendation=recommendation,
        number=recommendation.revision_count,
        author=author,
        note=str(note)[:300],
        **wording,
    )


# Proposing and revising --------------------------------------------------------------------


def propose(jury, by, statement, rationale, addressed_to, theme=None, citations=()):
    """A juror proposes a recommendation. Needs Action.DRAFT_RECOMMENDATIONS.

    Numbers are given per jury under a lock on the jury's row, so two jurors proposing at once
    get different numbers. `citations` are evidence items, answered questions or posts of this
    jury; any other makes the whole proposal fail and nothing is saved.
    """
    wording = clean_wording(statement, rationale, addressed_to)
    if theme is not None and theme.jury_id != jury.pk:
        raise DraftingError(_("Choose one of this jury's themes."))
    with transaction.atomic():
        locked = Jury.objects.select_for_update().get(pk=jury.pk)
        _check_jury_drafting(locked)
        revising = revising_after(locked)
        if revising is not None and not revising.reopened_all:
            raise DraftingError(
                _(
                    "Drafting has reopened for the recommendations that did not reach the "
                    "threshold only, so no new recommendation can be proposed now."
                )
            )
        last = locked.recommendations.aggregate(last=Max("number"))["last"] or 0
        recommendation = Recommendation.objects.create(
            jury=locked,
            number=last + 1,
            theme=theme,
            proposed_by=by,
            revision_count=1,
            **wording,
        )
        Revision.objects.create(recommendation=recommendation, number=1, author=by, **wording)
        for target in citations:
            _cite(recommendation, target, by)
        announce(locked, recommendation.number)
    return recommendation


def revise(recommendation, by, statement, rationale, addressed_to, note, base=None):
    """A juror improves the wording; the earlier wording stays in the history with its author.
    Needs Action.DRAFT_RECOMMENDATIONS. Refused if nothing changed, or if someone saved a newer
    version since the juror's page showed version `base` (so nobody's change is overwritten)."""
    wording = clean_wording(statement, rationale, addressed_to)
    with transaction.atomic():
        locked = lock_for_change(recommendation)
        check_base(locked, base, NEWER_VERSION)
        if same_wording(locked, wording):
            raise DraftingError(_("Nothing was changed, so there is no new version to save."))
        revision = add_revision(locked, author=by, wording=wording, note=(note or "").strip())
        announce(locked.jury, locked.number)
    return revision


# Citations ---------------------------------------------------------------------------------


def _cite(recommendation, target, by):
    _check_citable(recommendation.jury, target)
    field = _citation_lookup(target)
    citation, _created = Citation.objects.get_or_create(
        recommendation=recommendation, **{field: target}, defaults={"added_by": by}
    )
    return citation


def add_citation(recommendation, by, target):
    """Cite an evidence item, an answered question or a post of this jury. Needs
    Action.DRAFT_RECOMMENDATIONS. Citing the same thing twice keeps one citation."""
    with transaction.atomic():
        locked = lock_for_change(recommendation)
        citation = _cite(locked, target, by)
        announce(locked.jury, locked.number)
    return citation


def remove_citation(recommendation, by, citation):
    """Stop citing something. Needs Action.DRAFT_RECOMMENDATIONS."""
    if citation.recommendation_id != recommendation.pk:
        raise DraftingError(_("That citation belongs to another recommendation."))
    with transaction.atomic():
        locked = lock_for_change(recommendation)
        citation.delete()
        announce(locked.jury, locked.number)


def update_citations(recommendation, by, targets, shown=None):
    """Cite `targets` and stop citing what the person saw and unticked. Needs
    Action.DRAFT_RECOMMENDATIONS. Returns (added, removed) counts.

    `shown` holds the ids of the citations the person's page showed; only those can be dropped,
    so a citation someone else added meanwhile stays. None: every citation was shown.
    """
    with transaction.atomic():
        locked = lock_for_change(recommendation)
        wanted = {(_citation_lookup(t), t.pk): t for t in targets}
        existing = list(locked.citations.all())
        have = {}
        for citation in existing:
            field = "item" if citation.item_id else "question" if citation.question_id else "post"
            have[(field, getattr(citation, f"{field}_id"))] = citation
        for key, target in wanted.items():
            if key not in have:
                _cite(locked, target, by)
        dropped = [
            c.pk
            for key, c in have.items()
            if key not in wanted and (shown is None or c.pk in shown)
        ]
        Citation.objects.filter(pk__in=dropped).delete()
        added = len(set(wanted) - set(have))
        if added or dropped:
            announce(locked.jury, locked.number)
    return added, len(dropped)


# Themes ------------------------------------------------------------------------------------


def _theme_title(jury, title, *, exclude=None):
    title = (title or "").strip()
    if not title:
        raise DraftingError(_("Give the theme a title."))
    same = Theme.objects.filter(jury=jury, title__iexact=title)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise DraftingError(_("There is already a theme called “%(title)s”.") % {"title": title})
    return title


def _announce_theme(jury, theme):
    events.publish(
        jury, "theme.changed", requires=Action.VIEW_RECOMMENDATIONS, data={"theme": theme.pk}
    )


def create_theme(jury, by, title, description=""):
    """A facilitator adds a theme. Needs Action.MANAGE_RECOMMENDATIONS. Audited. Locks the
    jury's row, so two facilitators adding the same title at once get a message, not a crash."""
    with transaction.atomic():
        jury = Jury.objects.select_for_update().get(pk=jury.pk)
        title = _theme_title(jury, title)
        position = (jury.themes.aggregate(last=Max("position"))["last"] or 0) + 1
        theme = Theme.objects.create(
            jury=jury, title=title, description=(description or "").strip(), position=position
        )
        audit.record(
            actor=by,
            action="theme.create",
            jury=jury,
            target=theme,
            summary=_("Added the theme “%(title)s”.") % {"title": title},
        )
        _announce_theme(jury, theme)
    return theme


def edit_theme(theme, by, title, description=""):
    """A facilitator renames or describes a theme. Needs Action.MANAGE_RECOMMENDATIONS. Audited.
    Locks the jury's row, as `create_theme` does, before checking the title is free."""
    with transaction.atomic():
        theme.jury = Jury.objects.select_for_update().get(pk=theme.jury_id)
        before = theme.title
        theme.title = _theme_title(theme.jury, title, exclude=theme)
        theme.description = (description or "").strip()
        theme.save(update_fields=["title", "description"])
        audit.record(
            actor=by,
            action="theme.edit",
            jury=theme.jury,
            target=theme,
            summary=_("Changed the theme “%(before)s” to “%(title)s”.")
            % {"before": before, "title": theme.title},
        )
        _announce_theme(theme.jury, theme)
    return theme


def set_theme(recommendation, by, theme):
    """A facilitator files a recommendation under a theme (or none). Needs
    Action.MANAGE_RECOMMENDATIONS. Audited."""
    if theme is not None and theme.jury_id != recommendation.jury_id:
        raise DraftingError(_("Choose one of this jury's themes."))
    with transaction.atomic():
        locked = lock_for_change(recommendation)
        locked.theme = theme
        locked.save(update_fields=["theme", "updated_at"])
        audit.record(
            actor=by,
            action="recommendation.theme",
            jury=locked.jury,
            target=locked,
            summary=(
                _("Put recommendation %(number)s under the theme “%(title)s”.")
                % {"number": locked.number, "title": theme.title}
                if theme
                else _("Took recommendation %(number)s out of its theme.")
                % {"number": locked.number}
            ),
        )
        announce(locked.jury, locked.number)
    return locked


# Merging -----------------------------------------------------------------------------------


def merge(keep, other, by, statement, rationale, addressed_to, note="", base=None, other_base=None):
    """A facilitator merges `other` into `keep`. Needs Action.MANAGE_RECOMMENDATIONS. Audited.

    `keep` gets a new version with the merged wording and every citation of `other` it lacked;
    `other` is marked merged into `keep` and its undecided amendments are rejected with a note.
    Both histories stay as they were. Locks both rows, in number order, then refuses if either
    has a newer version than the facilitator's page showed (`base`, `other_base`; None: not
    checked), so the merged wording never silently replaces a revision made meanwhile.
    """
    if keep.pk == other.pk or keep.jury_id != other.jury_id:
        raise DraftingError(_("Choose another recommendation of this jury to merge with."))
    wording = clean_wording(statement, rationale, addressed_to)
    with transaction.atomic():
        first, second = sorted([keep, other], key=lambda r: r.number)
        locked = {r.pk: lock_for_change(r) for r in (first, second)}
        keep, other = locked[keep.pk], locked[other.pk]
        check_base(keep, base, NEWER_VERSION_OF % {"number": keep.number})
        check_base(other, other_base, NEWER_VERSION_OF % {"number": other.number})
        merged_note = (note or "").strip() or _("Merged with recommendation %(number)s.") % {
            "number": other.number
        }
        add_revision(keep, author=by, wording=wording, note=merged_note)
        _copy_citations(other, keep)
        if keep.theme_id is None and other.theme_id is not None:
            keep.theme_id = other.theme_id
            keep.save(update_fields=["theme"])
        other.state = RecommendationState.MERGED
        other.merged_into = keep
        other.save(update_fields=["state", "merged_into", "updated_at"])
        other.amendments.filter(state__in=AmendmentState.undecided()).update(
            state=AmendmentState.REJECTED,
            decided_by=by,
            decided_at=timezone.now(),
            decision_note=_("Recommendation %(other)s was merged into recommendation %(keep)s.")
            % {"other": other.number, "keep": keep.number},
        )
        audit.record(
            actor=by,
            action="recommendation.merge",
            jury=keep.jury,
            target=keep,
            summary=_("Merged recommendation %(other)s into recommendation %(keep)s.")
            % {"other": other.number, "keep": keep.number},
        )
        announce(keep.jury, keep.number, other.number)
    return keep


def _copy_citations(source, dest):
    have = set(dest.citations.values_list("item_id", "question_id", "post_id"))
    for citation in source.citations.all():
        key = (citation.item_id, citation.question_id, citation.post_id)
        if key in have:
            continue
        Citation.objects.create(
            recommendation=dest,
            item_id=citation.item_id,
            question_id=citation.question_id,
            post_id=citation.post_id,
            added_by_id=citation.added_by_id,
        )
        have.add(key)
