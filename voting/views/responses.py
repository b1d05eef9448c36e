"""Pages for responses (being built)."""

urlpatterns = []
