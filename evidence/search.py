"""Search across a jury's evidence, answers and glossary.

PostgreSQL's full-text search (ranked, with stemming, so "checks" finds "checked") when the
database is PostgreSQL; a plain case-insensitive match on SQLite.
"""

from django.db import connection
from django.db.models import Q

from .models import EvidenceItem, QuestionState

MAX_RESULTS = 50


def _full_text(queryset, fields, text):
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = SearchVector(*fields, config="english")
    query = SearchQuery(text, search_type="websearch", config="english")
    # Filter on the match itself: ts_rank gives non-matches a tiny rank, not zero.
    return (
        queryset.annotate(document=vector, rank=SearchRank(vector, query))
        .filter(document=query)
        .order_by("-rank")
    )


def _plain(queryset, fields, text):
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": text})
    return queryset.filter(condition)


def _match(queryset, fields, text):
    if connection.vendor == "postgresql":
        return _full_text(queryset, fields, text)
    return _plain(queryset, fields, text)


def search(jury, text, *, drafts=False):
    """Items, answered questions and glossary terms of `jury` that match `text`. Items of draft
    packs only when `drafts` (for the people who may see them)."""
    items = EvidenceItem.objects.filter(pack__jury=jury).select_related("pack")
    if not drafts:
        items = items.filter(pack__published_at__isnull=False)
    items = _match(
        items,
        ["title", "summary", "body", "transcript"],
        text,
    )
    answers = _match(
        jury.questions.filter(state=QuestionState.ANSWERED).select_related("witness"),
        ["text", "answer"],
        text,
    )
    terms = _match(jury.glossary.all(), ["term", "definition"], text)
    return {
        "items": list(items[:MAX_RESULTS]),
        "answers": list(answers[:MAX_RESULTS]),
        "terms": list(terms[:MAX_RESULTS]),
    }
