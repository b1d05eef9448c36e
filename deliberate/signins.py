"""Live pages last only as long as the sign-in they were opened under.

A jury page's socket closes when the person signs out, when their session is ended from "devices
where you are signed in" or expires, when their account is deactivated or deleted, and when they
no longer meet the two-factor rule (`juries.middleware.needs_mfa`). Two ways make that hold:

- Told at once: the places where those things happen send, after their transaction commits, an
  "end" message to the groups of the juries the person belongs to (their pages can only be open
  on those), naming the person and, for one ended session, a hash of its key (never the key
  itself: anyone reading Redis could sign in with it). The process's hub passes it on like any
  event, so no extra channel group or subscription exists per person or per session.
- Checked anyway: every few seconds each server process asks the database, in two queries for all
  the pages open on it, which of their sessions are still in force and which people are still
  active (consumers.py: `_SignInWatch`), so a lost message costs seconds, not the session's
  lifetime. The two-factor rule, a query or two per person, is asked again of each person about
  once a minute. Between checks a page stops at its session's expiry without asking.
"""

from importlib import import_module

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model, user_logged_out
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils import timezone
from django.utils.crypto import salted_hmac

from juries import events
from juries.middleware import needs_mfa
from juries.models import Membership

END = "live.end"
# Saving a person with any of these changed may take their standing away.
STANDING_FIELDS = frozenset({"is_active", "is_staff", "deleted_at"})


def session_tag(session_key):
    """What stands for a session outside this process: a keyed hash of its key."""
    return salted_hmac("deliberate.live.session", session_key).hexdigest()[:32]


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _session_model():
    """The model sessions are kept in, or None for a backend that keeps them elsewhere."""
    store = _session_store()
    return store.get_model_class() if hasattr(store, "get_model_class") else None


def sessions_in_force(keys):
    """{session key: its expiry as a timestamp} for those of `keys` whose session still exists
    and has not expired. One query for sessions kept in the database (the setting here); another
    backend is asked one key at a time and gives no expiry (None)."""
    keys = [key for key in keys if key]
    if not keys:
        return {}
    model = _session_model()
    if model is None:
        store = _session_store()
        return {key: None for key in keys if store().exists(key)}
    rows = model.objects.filter(session_key__in=keys, expire_date__gt=timezone.now())
    return {
        key: expiry.timestamp() for key, expiry in rows.values_list("session_key", "expire_date")
    }


def people_in_good_standing(user_ids, *, mfa_for=None):
    """Those of `user_ids` whose account is active and not deleted, and who meet the two-factor
    rule. That rule costs a query or two per person, so it is asked only of those in `mfa_for`
    when given (one query for all the rest)."""
    people = get_user_model().objects.filter(
        pk__in=user_ids, is_active=True, deleted_at__isnull=True
    )
    return {
        person.pk
        for person in people
        if (mfa_for is not None and person.pk not in mfa_for) or not needs_mfa(person)
    }


def standing(session_keys, user_ids, mfa_for):
    """Both of the above at once, for the periodic check of a server process's open pages."""
    return sessions_in_force(session_keys), people_in_good_standing(user_ids, mfa_for=mfa_for)


def still_signed_in(session_key, user_id):
    """Whether the session is in force and its person in good standing, all checked."""
    return session_key in sessions_in_force([session_key]) and bool(
        people_in_good_standing([user_id])
    )


def end_live_pages(user_id, session_key=None):
    """Close the person's open live pages once the current transaction commits: all of them, or
    only those opened under `session_key`. Never raises (see events.send_to_jury)."""
    tag = session_tag(session_key) if session_key else None
    # Read now: a person deleted outright loses their memberships in this same transaction.
    juries = list(Membership.objects.filter(user_id=user_id).values_list("jury_id", flat=True))

    def send():
        for jury_id in juries:
            events.send_to_jury(
                jury_id, {"type": END, "jury": jury_id, "user": user_id, "session": tag}
            )

    transaction.on_commit(send, robust=True)


def end_live_pages_if_mfa_missing(user_id):
    """After commit, close the person's live pages if they now need a second factor they lack."""

    def check():
        person = get_user_model().objects.filter(pk=user_id).first()
        if person is not None and needs_mfa(person):
            end_live_pages(user_id)  # outside any transaction now: sent at once

    transaction.on_commit(check, robust=True)


# --- Where sign-ins end ------------------------------------------------------------------------


def _signed_out(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if user is not None and session is not None and session.session_key:
        end_live_pages(user.pk, session.session_key)


def _session_deleted(sender, instance, **kwargs):
    """Sign-out, "sign out other devices", account deletion and a new sign-in in the same browser
    all delete the session. Expired sessions being cleared away are already closed."""
    if instance.expire_date <= timezone.now():
        return
    user_id = instance.get_decoded().get(SESSION_KEY)
    if user_id is not None:
        end_live_pages(get_user_model()._meta.pk.to_python(user_id), instance.session_key)


def _person_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is not None and not STANDING_FIELDS & set(update_fields)):
        return  # a new account has no pages open; a sign-in only records its time
    if not instance.is_active or instance.deleted_at is not None:
        end_live_pages(instance.pk)
    else:
        end_live_pages_if_mfa_missing(instance.pk)


def _person_deleted(sender, instance, **kwargs):
    end_live_pages(instance.pk)


def _authenticator_removed(sender, instance, **kwargs):
    end_live_pages_if_mfa_missing(instance.user_id)


def _membership_saved(sender, instance, **kwargs):
    # A new role may need a second factor (a facilitator's, say) that the person lacks.
    end_live_pages_if_mfa_missing(instance.user_id)


def connect():
    """Called once from DeliberateConfig.ready()."""
    user_model = get_user_model()
    user_logged_out.connect(_signed_out, dispatch_uid="live-signed-out")
    model = _session_model()
    if model is not None:
        post_delete.connect(_session_deleted, sender=model, dispatch_uid="live-session-deleted")
    post_save.connect(_person_saved, sender=user_model, dispatch_uid="live-person-saved")
    pre_delete.connect(_person_deleted, sender=user_model, dispatch_uid="live-person-deleted")
    post_delete.connect(
        _authenticator_removed, sender=Authenticator, dispatch_uid="live-authenticator-removed"
    )
    post_save.connect(_membership_saved, sender=Membership, dispatch_uid="live-membership-saved")
