"""People and juries: the public list, members' pages, accounts, invitations, sittings, the
facilitators' pages, and the lottery that selects the jurors (`juries/selection/`)."""

from .selection.views import draws, quotas, recruitment
from .selection.views import public as selection_public
from .views import (
    account,
    announcements,
    invitations,
    manage,
    members,
    notifications,
    patterns,
    public,
    sittings,
)

app_name = "juries"

urlpatterns = [
    *public.urlpatterns,
    *members.urlpatterns,
    *account.urlpatterns,
    *invitations.urlpatterns,
    *sittings.urlpatterns,
    *announcements.urlpatterns,
    *notifications.urlpatterns,
    *manage.urlpatterns,
    *patterns.urlpatterns,
    # Selection: recruitment of volunteers, quotas, and the draw.
    *recruitment.urlpatterns,
    *quotas.urlpatterns,
    *draws.urlpatterns,
    *selection_public.urlpatterns,
]
