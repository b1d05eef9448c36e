"""The evaluation: questionnaires, their anonymous answers and the results."""

from .views import urlpatterns  # noqa: F401

app_name = "evaluation"
