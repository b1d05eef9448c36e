from django.urls import path

from . import views, views_packs

app_name = "evidence"

J = "juries/<slug:slug>/evidence/"

urlpatterns = [
    path(J, views_packs.evidence_index, name="index"),
    path(J + "balance/", views_packs.balance, name="balance"),
    path(J + "packs/new/", views_packs.pack_edit, name="pack-create"),
    path(J + "packs/<int:pack_id>/", views_packs.pack_detail, name="pack"),
    path(J + "packs/<int:pack_id>/edit/", views_packs.pack_edit, name="pack-edit"),
    path(J + "packs/<int:pack_id>/items/new/", views_packs.item_edit, name="item-create"),
    path(
        J + "packs/<int:pack_id>/items/<int:item_id>/edit/", views_packs.item_edit, name="item-edit"
    ),
    path(J + "items/<int:item_id>/", views_packs.item_detail, name="item"),
    path(J + "items/<int:item_id>/file/", views_packs.item_file, name="item-file"),
    path("register/", views.register, name="register"),
    path("register/import/", views.system_import, name="system-import"),
    path("register/<slug:slug>/", views.system_detail, name="system"),
    path("register/<slug:slug>/import/", views.system_import, name="system-reimport"),
    path(
        "register/<slug:slug>/record.json", views.system_export, {"fmt": "json"}, name="system-json"
    ),
    path("register/<slug:slug>/record.csv", views.system_export, {"fmt": "csv"}, name="system-csv"),
]
