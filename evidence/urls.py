from django.urls import path

from .views import packs, questions, reading, register

app_name = "evidence"

J = "juries/<slug:slug>/evidence/"

urlpatterns = [
    path(J, packs.evidence_index, name="index"),
    path(J + "balance/", packs.balance, name="balance"),
    path(J + "packs/new/", packs.pack_edit, name="pack-create"),
    path(J + "packs/<int:pack_id>/", packs.pack_detail, name="pack"),
    path(J + "packs/<int:pack_id>/edit/", packs.pack_edit, name="pack-edit"),
    path(J + "packs/<int:pack_id>/publish/", packs.pack_publish, name="pack-publish"),
    path(J + "packs/<int:pack_id>/items/new/", packs.item_edit, name="item-create"),
    path(J + "packs/<int:pack_id>/items/<int:item_id>/edit/", packs.item_edit, name="item-edit"),
    path(J + "items/<int:item_id>/", packs.item_detail, name="item"),
    path(J + "items/<int:item_id>/file/", packs.item_file, name="item-file"),
    path(J + "glossary/", reading.glossary, name="glossary"),
    path(J + "system/", reading.jury_systems, name="systems"),
    path(J + "search/", reading.search_page, name="search"),
    path(J + "public/", reading.public_evidence, name="public-evidence"),
    path(J + "public/<int:item_id>/", reading.public_item, name="public-item"),
    path(J + "questions/", questions.question_list, name="questions"),
    path(J + "questions/<int:question_id>/", questions.question_detail, name="question"),
    path(
        J + "questions/<int:question_id>/support/",
        questions.question_support,
        name="question-support",
    ),
    path(
        J + "questions/<int:question_id>/assign/",
        questions.question_assign,
        name="question-assign",
    ),
    path(
        J + "questions/<int:question_id>/merge/",
        questions.question_merge,
        name="question-merge",
    ),
    path(J + "witnesses/", questions.witness_list, name="witnesses"),
    path(J + "witnesses/new/", questions.witness_edit, name="witness-create"),
    path(J + "witnesses/<int:witness_id>/", questions.witness_detail, name="witness"),
    path(J + "witnesses/<int:witness_id>/edit/", questions.witness_edit, name="witness-edit"),
    path(J + "requests/", questions.request_list, name="requests"),
    path(
        J + "requests/<int:request_id>/respond/",
        questions.request_respond,
        name="request-respond",
    ),
    path("register/", register.register, name="register"),
    path("register/import/", register.system_import, name="system-import"),
    path("register/<slug:slug>/", register.system_detail, name="system"),
    path("register/<slug:slug>/import/", register.system_import, name="system-reimport"),
    path(
        "register/<slug:slug>/record.json",
        register.system_export,
        {"fmt": "json"},
        name="system-json",
    ),
    path(
        "register/<slug:slug>/record.csv", register.system_export, {"fmt": "csv"}, name="system-csv"
    ),
]
