"""Recommendations, the vote, the report and the oversight body's answers."""

from .views import decisions, drafting, reports, responses

app_name = "voting"

urlpatterns = [
    *drafting.urlpatterns,
    *decisions.urlpatterns,
    *reports.urlpatterns,
    *responses.urlpatterns,
]
