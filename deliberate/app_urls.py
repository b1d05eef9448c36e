"""The deliberation pages: discussions, moderation, participation and sittings' live rooms."""

from django.urls import path

from .views import people, posts, room, threads

app_name = "deliberate"

J = "juries/<slug:slug>/"

urlpatterns = [
    path("account/notifications/", people.notifications, name="notifications"),
    path(J + "discussions/", threads.thread_list, name="threads"),
    path(J + "discussions/new/", threads.thread_create, name="thread-create"),
    path(J + "discussions/<int:thread_id>/", threads.thread_detail, name="thread"),
    path(J + "discussions/<int:thread_id>/post/", threads.post_create, name="post-create"),
    path(J + "discussions/about/<str:label>/<int:pk>/", threads.discuss, name="discuss"),
    path(J + "discussions/moderation/", posts.moderation, name="moderation"),
    path(J + "discussions/participation/", people.participation, name="participation"),
    path(J + "posts/<int:post_id>/reply/", posts.post_reply, name="post-reply"),
    path(J + "posts/<int:post_id>/edit/", posts.post_edit, name="post-edit"),
    path(J + "posts/<int:post_id>/history/", posts.post_history, name="post-history"),
    path(J + "posts/<int:post_id>/withdraw/", posts.post_withdraw, name="post-withdraw"),
    path(J + "posts/<int:post_id>/flag/", posts.post_flag, name="post-flag"),
    path(J + "posts/<int:post_id>/moderate/", posts.post_moderate, name="post-moderate"),
    path(J + "sittings/<int:sitting_id>/room/", room.room, name="room"),
    path(J + "sittings/<int:sitting_id>/room/hand/", room.room_hand, name="room-hand"),
    path(J + "sittings/<int:sitting_id>/room/poll/", room.room_poll_answer, name="room-poll"),
    path(J + "sittings/<int:sitting_id>/room/control/", room.room_control, name="room-control"),
]
