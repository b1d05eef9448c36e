"""Leaving no copy of an erased address behind.

The rows a person's address belongs to (their account, their registration as a volunteer) are
erased by the services that own them: `accounts.delete_account`, `recruitment.withdraw` and
`retention.delete_expired_volunteers`. These helpers find the copies kept beside them: sessions
(allauth keeps the address of a sign-in by code, and of how a person signed in, in the session)
and invitations that were never accepted. Queued emails hold no address (see juries.emails).
"""

import json
from importlib import import_module

from django.conf import settings
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from .models import Invitation, Place, User


def forget_invitations_of(volunteers):
    """Invitations sent to `volunteers` from a draw and never accepted are withdrawn and no
    longer hold their address (an accepted one made an account, which only its owner deletes).
    """
    sent = Place.objects.filter(volunteer__in=volunteers, invitation__isnull=False)
    Invitation.objects.filter(pk__in=sent.values("invitation"), accepted_at__isnull=True).update(
        email=Concat(Value("erased-"), Cast("pk", CharField()), Value("@invalid")),
        revoked_at=Coalesce("revoked_at", Value(timezone.now())),
    )


def end_sessions_holding(addresses):
    """Delete every stored session whose data mentions one of `addresses`, except addresses a
    live account still uses (those sessions are that person's own). Returns how many ended.

    Reads each session (expired ones too: they are still on disk until `clearsessions`), so it
    is for erasure, not for a request's hot path. Sessions kept only in a cache cannot be listed
    and are left to expire.
    """
    addresses = {address.strip().lower() for address in addresses if address}
    addresses -= set(
        User.objects.filter(email__in=addresses, deleted_at__isnull=True).values_list(
            "email", flat=True
        )
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not addresses or not hasattr(store, "get_model_class"):
        return 0
    ended = 0
    for session in store.get_model_class().objects.iterator():
        text = json.dumps(session.get_decoded(), default=str).lower()
        if any(address in text for address in addresses):
            store(session.session_key).delete()
            ended += 1
    return ended
