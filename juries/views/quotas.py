"""Selection pages (issue 7): filled in by the quotas work."""

urlpatterns = []
