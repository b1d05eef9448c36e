"""Evidence: packs and items, reading aids, witnesses and questions, and the public register."""

from .views import packs, questions, reading, register

app_name = "evidence"

urlpatterns = [
    *packs.urlpatterns,
    *reading.urlpatterns,
    *questions.urlpatterns,
    *register.urlpatterns,
]
