"""Selection pages (issue 7): filled in by the recruitment work."""

urlpatterns = []
