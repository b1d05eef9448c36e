from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/import/", views.system_import, name="system-import"),
    path("register/<slug:slug>/", views.system_detail, name="system"),
    path("register/<slug:slug>/import/", views.system_import, name="system-reimport"),
    path(
        "register/<slug:slug>/record.json", views.system_export, {"fmt": "json"}, name="system-json"
    ),
    path("register/<slug:slug>/record.csv", views.system_export, {"fmt": "csv"}, name="system-csv"),
]
