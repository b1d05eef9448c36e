from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from juries.views.demo import demo_sign_in

# Staff sign in to the admin through allauth, so the same codes and second factor apply.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Deliberate administration")
admin.site.site_title = _("Deliberate")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("favicon.ico", RedirectView.as_view(url=settings.STATIC_URL + "favicon.svg")),
    path("", include("evidence.urls")),
    path("", include("deliberate.app_urls")),
    path("", include("voting.urls")),
    path("", include("evaluation.urls")),
    path("", include("juries.urls")),
]

if settings.DEMO_MODE:
    urlpatterns.append(
        path("demo/sign-in/<str:uidb64>/<str:token>/", demo_sign_in, name="demo-sign-in")
    )
