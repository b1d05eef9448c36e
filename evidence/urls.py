from django.urls import path

from . import views, views_packs, views_questions, views_reading

app_name = "evidence"

J = "juries/<slug:slug>/evidence/"

urlpatterns = [
    path(J, views_packs.evidence_index, name="index"),
    path(J + "balance/", views_packs.balance, name="balance"),
    path(J + "packs/new/", views_packs.pack_edit, name="pack-create"),
    path(J + "packs/<int:pack_id>/", views_packs.pack_detail, name="pack"),
    path(J + "packs/<int:pack_id>/edit/", views_packs.pack_edit, name="pack-edit"),
    path(J + "packs/<int:pack_id>/publish/", views_packs.pack_publish, name="pack-publish"),
    path(J + "packs/<int:pack_id>/items/new/", views_packs.item_edit, name="item-create"),
    path(
        J + "packs/<int:pack_id>/items/<int:item_id>/edit/", views_packs.item_edit, name="item-edit"
    ),
    path(J + "items/<int:item_id>/", views_packs.item_detail, name="item"),
    path(J + "items/<int:item_id>/file/", views_packs.item_file, name="item-file"),
    path(J + "glossary/", views_reading.glossary, name="glossary"),
    path(J + "system/", views_reading.jury_systems, name="systems"),
    path(J + "search/", views_reading.search_page, name="search"),
    path(J + "public/", views_reading.public_evidence, name="public-evidence"),
    path(J + "public/<int:item_id>/", views_reading.public_item, name="public-item"),
    path(J + "questions/", views_questions.question_list, name="questions"),
    path(J + "questions/<int:question_id>/", views_questions.question_detail, name="question"),
    path(
        J + "questions/<int:question_id>/support/",
        views_questions.question_support,
        name="question-support",
    ),
    path(
        J + "questions/<int:question_id>/assign/",
        views_questions.question_assign,
        name="question-assign",
    ),
    path(
        J + "questions/<int:question_id>/merge/",
        views_questions.question_merge,
        name="question-merge",
    ),
    path(J + "witnesses/", views_questions.witness_list, name="witnesses"),
    path(J + "witnesses/new/", views_questions.witness_edit, name="witness-create"),
    path(J + "witnesses/<int:witness_id>/", views_questions.witness_detail, name="witness"),
    path(J + "witnesses/<int:witness_id>/edit/", views_questions.witness_edit, name="witness-edit"),
    path(J + "requests/", views_questions.request_list, name="requests"),
    path(
        J + "requests/<int:request_id>/respond/",
        views_questions.request_respond,
        name="request-respond",
    ),
    path("register/", views.register, name="register"),
    path("register/import/", views.system_import, name="system-import"),
    path("register/<slug:slug>/", views.system_detail, name="system"),
    path("register/<slug:slug>/import/", views.system_import, name="system-reimport"),
    path(
        "register/<slug:slug>/record.json", views.system_export, {"fmt": "json"}, name="system-json"
    ),
    path("register/<slug:slug>/record.csv", views.system_export, {"fmt": "csv"}, name="system-csv"),
]
