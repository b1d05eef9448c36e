"""Recommendations, the vote, the report and the oversight body's answers."""

from .views import decisions, dissent, drafting, reports, responses

app_name = "voting"

urlpatterns = [
    *drafting.urlpatterns,
    *decisions.urlpatterns,
    *dissent.urlpatterns,
    *reports.urlpatterns,
    *responses.urlpatterns,
]
