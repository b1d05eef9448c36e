"""Pages for decisions (being built)."""

urlpatterns = []
