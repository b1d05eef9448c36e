"""The deliberation pages: discussions, moderation, participation and sittings' live rooms.

The deliberation app's URLs; `deliberate/urls.py` is the project's root URLconf, which includes
every app's.
"""

from .views import people, posts, room, threads

app_name = "deliberate"

urlpatterns = [
    *people.urlpatterns,
    *threads.urlpatterns,
    *posts.urlpatterns,
    *room.urlpatterns,
]
