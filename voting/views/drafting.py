"""The drafting pages' addresses: recommendations, their history, citations and amendments,
themes and merging, all under juries/<slug>/recommendations/."""

from django.urls import path

from .drafting_manage import (
    amendment_create,
    amendment_decide,
    amendment_vote,
    merge,
    set_theme,
    theme_edit,
)
from .drafting_pages import (
    recommendation_citations,
    recommendation_create,
    recommendation_detail,
    recommendation_history,
    recommendation_list,
    recommendation_revise,
)

R = "juries/<slug:slug>/recommendations/"
ONE = R + "<int:number>/"

urlpatterns = [
    path(R, recommendation_list, name="recommendations"),
    path(R + "new/", recommendation_create, name="recommendation-create"),
    path(R + "themes/new/", theme_edit, name="theme-create"),
    path(R + "themes/<int:theme_id>/edit/", theme_edit, name="theme-edit"),
    path(ONE, recommendation_detail, name="recommendation"),
    path(ONE + "revise/", recommendation_revise, name="recommendation-revise"),
    path(ONE + "history/", recommendation_history, name="recommendation-history"),
    path(ONE + "citations/", recommendation_citations, name="recommendation-citations"),
    path(ONE + "theme/", set_theme, name="recommendation-theme"),
    path(ONE + "merge/", merge, name="recommendation-merge"),
    path(ONE + "amend/", amendment_create, name="amendment-create"),
    path(ONE + "amendments/<int:amendment_id>/", amendment_decide, name="amendment-decide"),
    path(ONE + "amendments/<int:amendment_id>/vote/", amendment_vote, name="amendment-vote"),
]
