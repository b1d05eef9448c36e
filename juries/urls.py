from django.urls import path

from .selection.views import draws, quotas, recruitment
from .selection.views import public as selection_public
from .views import account, invitations, manage, members, public, sittings

app_name = "juries"

urlpatterns = [
    path("", public.jury_list, name="jury-list"),
    path("mine/", members.my_juries, name="my-juries"),
    path("account/", account.profile, name="profile"),
    path("account/my-data.json", account.download_data, name="download-data"),
    path("account/delete/", account.delete_account, name="delete-account"),
    path(
        "account/confirm-address/<str:token>/",
        account.confirm_address_change,
        name="confirm-address-change",
    ),
    path("invitations/<str:token>/", invitations.invitation, name="invitation"),
    path("juries/<slug:slug>/", public.jury_public, name="public"),
    path("juries/<slug:slug>/home/", members.jury_home, name="home"),
    path("juries/<slug:slug>/my-name/", members.name_visibility, name="name-visibility"),
    path("juries/<slug:slug>/sittings/", sittings.sitting_list, name="sitting-list"),
    path("juries/<slug:slug>/sittings/new/", sittings.sitting_edit, name="sitting-create"),
    path(
        "juries/<slug:slug>/sittings/<int:sitting_id>/",
        sittings.sitting_detail,
        name="sitting-detail",
    ),
    path(
        "juries/<slug:slug>/sittings/<int:sitting_id>/edit/",
        sittings.sitting_edit,
        name="sitting-edit",
    ),
    path(
        "juries/<slug:slug>/sittings/<int:sitting_id>/cancel/",
        sittings.sitting_cancel,
        name="sitting-cancel",
    ),
    path(
        "juries/<slug:slug>/sittings/<int:sitting_id>/calendar.ics",
        sittings.sitting_ics,
        name="sitting-ics",
    ),
    path("juries/<slug:slug>/manage/", manage.dashboard, name="dashboard"),
    path("juries/<slug:slug>/manage/stage/", manage.change_stage, name="change-stage"),
    path("juries/<slug:slug>/manage/details/", manage.edit_jury, name="edit-jury"),
    path("juries/<slug:slug>/manage/timeline/", manage.edit_timeline, name="edit-timeline"),
    path(
        "juries/<slug:slug>/manage/members/<int:membership_id>/remove/",
        manage.remove_member,
        name="remove-member",
    ),
    path("juries/<slug:slug>/manage/invite/", invitations.invite, name="invite"),
    path(
        "juries/<slug:slug>/manage/invitations/<int:invitation_id>/resend/",
        invitations.resend,
        name="resend-invitation",
    ),
    path(
        "juries/<slug:slug>/manage/invitations/<int:invitation_id>/revoke/",
        invitations.revoke,
        name="revoke-invitation",
    ),
    path("juries/<slug:slug>/audit/", manage.audit_log, name="audit-log"),
]

# Selection: recruitment of volunteers, quotas, and the draw.
urlpatterns += (
    recruitment.urlpatterns + quotas.urlpatterns + draws.urlpatterns + selection_public.urlpatterns
)
