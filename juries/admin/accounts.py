"""Admins of other libraries' models that let staff become someone else, made safe.

allauth registers admins of its own in which staff could give a person an address, a second
factor or a session of their choosing, and so sign in as them; Django's group admin lets staff
in a group give themselves any permission. Here staff only look (and end a session, recorded).
"""

from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin as AllauthAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from allauth.usersessions.admin import UserSessionAdmin as AllauthUserSessionAdmin
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from juries import audit

from .base import DeleteThroughServiceMixin, ReadOnlyAdmin

admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(ReadOnlyAdmin, AllauthEmailAddressAdmin):
    """Read-only, and without allauth's "mark as verified" action."""

    actions = []
    where_to_change = _(
        "People change their address on their account page. Staff use “Ask to change the email "
        "address” on the person's page, which sends a link to confirm to their current address. "
        "Either way the change is recorded, and the old address is told."
    )


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(ReadOnlyAdmin, AllauthAuthenticatorAdmin):
    """Which kinds of second factor a person has; never their secrets (the `data` field)."""

    exclude = ["data"]
    where_to_change = _(
        "Only the person sets up or removes a second factor, on their account page."
    )


admin.site.unregister(UserSession)


@admin.register(UserSession)
class UserSessionAdmin(DeleteThroughServiceMixin, ReadOnlyAdmin, AllauthUserSessionAdmin):
    """Where a person is signed in, without the session key (which would let whoever reads it
    act as them). Staff may end a session, as the person can from "Devices where you are
    signed in"; it is recorded."""

    exclude = ["session_key", "data"]
    search_fields = ["user__email", "ip"]  # allauth's own list names a username we do not have
    where_to_change = _("Deleting a session here signs the person out on that device.")

    def has_delete_permission(self, request, obj=None):
        return admin.ModelAdmin.has_delete_permission(self, request, obj)

    def describe_deletion(self, obj):
        return gettext("The session of %(name)s on %(device)s: they are signed out there.") % {
            "name": obj.user.public_name,
            "device": obj,
        }

    def delete_through_service(self, request, obj):
        with transaction.atomic():
            audit.record(
                actor=request.user,
                action="account.admin-end-session",
                subject=obj.user,
                summary=gettext("In the admin: signed %(name)s out on one device.")
                % {"name": audit.PERSON},
            )
            obj.end()


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    """Only a superuser changes what a group may do: staff in a group could otherwise give
    themselves any permission through it."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
