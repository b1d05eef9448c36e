"""Pages for reports (being built)."""

urlpatterns = []
