"""Pages for drafting (being built)."""

urlpatterns = []
