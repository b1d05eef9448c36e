"""Selection pages (issue 7): filled in by the selection work."""

urlpatterns = []
