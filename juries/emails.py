"""Outgoing email, queued by reference and rendered when it is sent.

A queued message carries names and ids, never content: the template, who it is for and the
objects it is about. The worker fetches them again and renders the message as it sends it, so
the task table holds no address, token, code or message body, and a finished message's row is
deleted (a failed one stays for staff to see: it holds only ids).

    emails.queue("deliberate/email/reply", to=reply_to.author, context={"post": post})

`to` is a User, a Membership (its person), a Volunteer or an Invitation; its address is read when
the message is sent. `context` holds model instances (sent as references), lists of them, dates,
and plain values that are no secret (numbers, choices, a link without a token). Every template
also gets `site_url`. A message whose recipient or object is gone by then (deleted, or gone by
`GONE`: a deleted account, a withdrawn volunteer, a used invitation, a withdrawn post) is quietly
not sent. Recipients with an account get their own time zone.

What cannot be fetched again (allauth's sign-in code, a last note to an address just erased) is
sent at once in the request with `send_now` / `send_message_now`, which never raise: they say
whether it went, and the caller tells the person.
"""

import datetime
import logging

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.mail import EmailMessage
from django.db import DatabaseError, models
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus, task
from django_tasks.signals import task_finished
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .models import InvitationState

logger = logging.getLogger(__name__)

# When an object that still exists no longer wants mail about it ("app_label.model" -> test of
# the object and the message's template). Higher apps add theirs in AppConfig.ready(), as
# deliberate does for withdrawn and hidden posts.
GONE = {
    "juries.user": lambda user, template: user.is_deleted or not user.is_active,
    "juries.volunteer": lambda volunteer, template: volunteer.withdrawn_at is not None,
    "juries.invitation": lambda invitation, template: invitation.state != InvitationState.PENDING,
}

# Files sent with a message ("template" -> dotted path of a callable taking the message's
# decoded context and returning (filename, content, mimetype) triples), built when it is sent.
ATTACHMENTS = {"juries/email/sitting": "juries.sittings.calendar_attachments"}

RECIPIENTS = {"juries.user", "juries.membership", "juries.volunteer", "juries.invitation"}


class EmailNotSent(Exception):
    """Raised in the worker when the mail server refuses; names ids only, never the address."""


class _Gone(Exception):
    pass


# --- queueing ---------------------------------------------------------------------------------


def queue(template, *, to, context=None):
    """Queue `<template>_subject.txt` and `<template>_message.txt` for `to`, rendered when sent.

    Call inside the service's transaction: the message is queued with it or not at all.
    """
    label = to._meta.label_lower
    if label not in RECIPIENTS:
        raise TypeError(f"An email cannot be addressed to a {label}.")
    encoded = {name: _encode(name, value) for name, value in (context or {}).items()}
    deliver.enqueue(template=template, to=[label, to.pk], context=encoded)


def _encode(name, value):
    if isinstance(value, models.Model):
        return {"model": value._meta.label_lower, "pk": value.pk}
    if isinstance(value, list | tuple) and all(isinstance(v, models.Model) for v in value):
        labels = {v._meta.label_lower for v in value}
        if len(labels) <= 1:
            return {"model": labels.pop() if labels else "", "pks": [v.pk for v in value]}
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, str | Promise):
        return {"value": str(value)}
    if value is None or isinstance(value, bool | int | float):
        return {"value": value}
    raise TypeError(
        f"“{name}” cannot go into a queued email: pass a model instance, a list of them, "
        "a date or a plain value."
    )


# --- sending, in the worker -------------------------------------------------------------------


@task()
def deliver(template, to, context):
    """Render and send one queued message (runs in the worker: `manage.py db_worker`).

    Returns quietly when the recipient or an object is gone. Raises EmailNotSent, naming only
    the template and the recipient's reference, when the mail server refuses.
    """
    try:
        recipient = _fetch(*to, template)
        if to[0] == "juries.membership":
            recipient = recipient.user
            if _is_gone(recipient, template):
                raise _Gone
        values = {name: _decode(encoded, template) for name, encoded in context.items()}
    except _Gone:
        logger.info("Email %s to %s %s not sent: what it was about is gone", template, *to)
        return
    # People with an account read times in their own zone; volunteers and invitees in ours.
    zone = getattr(recipient, "timezone", None)
    message = _render(template, recipient.email, values, zone)
    try:
        message.send()
    except OSError as error:  # smtplib's errors, refused connections, timeouts
        # Not chained: the server's words can quote the address, and a traceback is stored.
        raise EmailNotSent(
            f"{template} to {to[0]} {to[1]} was refused: {type(error).__name__}"
        ) from None


def _fetch(label, pk, template):
    found = apps.get_model(label).objects.filter(pk=pk).first()
    if found is None or _is_gone(found, template):
        raise _Gone
    return found


def _is_gone(obj, template):
    check = GONE.get(obj._meta.label_lower)
    return check is not None and check(obj, template)


def _decode(encoded, template):
    if "pk" in encoded:
        return _fetch(encoded["model"], encoded["pk"], template)
    if "pks" in encoded:
        if not encoded["pks"]:
            return []
        found = apps.get_model(encoded["model"]).objects.in_bulk(encoded["pks"])
        # Those gone since are left out of a list; the message still goes.
        gone = [pk for pk in encoded["pks"] if pk not in found or _is_gone(found[pk], template)]
        return [found[pk] for pk in encoded["pks"] if pk not in gone]
    if "datetime" in encoded:
        return datetime.datetime.fromisoformat(encoded["datetime"])
    if "date" in encoded:
        return datetime.date.fromisoformat(encoded["date"])
    return encoded["value"]


def _render(template, address, context, zone=None):
    context = {"site_url": settings.SITE_URL, **context}
    with (
        translation.override(settings.LANGUAGE_CODE),
        timezone.override(zone or settings.TIME_ZONE),
    ):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}_message.txt", context)
    message = EmailMessage(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
    if template in ATTACHMENTS:
        for filename, content, mimetype in import_string(ATTACHMENTS[template])(context):
            message.attach(filename, content, mimetype)
    return message


@receiver(task_finished)
def forget_delivered(sender, task_result, **kwargs):
    """Delete a sent (or skipped) message's task row: nothing of it needs keeping."""
    # db_worker sends the backend itself as sender when a task succeeds, its class on failure.
    backend = sender if isinstance(sender, type) else type(sender)
    if not issubclass(backend, DatabaseBackend):
        return
    if task_result.status != TaskResultStatus.SUCCESSFUL:
        return
    if task_result.task.module_path != deliver.module_path:
        return
    try:
        DBTaskResult.objects.filter(pk=task_result.id, status=TaskResultStatus.SUCCESSFUL).delete()
    except DatabaseError:  # the row (ids only) stays; the worker must not stop for it
        logger.exception("Could not delete the task row of a sent email")


# --- sending at once, in the request ----------------------------------------------------------


def send_now(template, address, context, *, request=None, failure_message=None):
    """Render and send a message now, for what must not wait in the task table. Returns
    whether it went; on failure, shows `failure_message` to the person if there is a request."""
    sent = send_message_now(_render(template, address, context, timezone.get_current_timezone()))
    if not sent and request is not None and failure_message:
        messages.error(request, failure_message)
    return sent


def send_message_now(message):
    """Send a rendered message now. Never raises: a mail server that is down is logged (without
    the address) and reported as False."""
    try:
        message.send()
    except OSError as error:
        logger.warning("An email could not be sent at once: %s", type(error).__name__)
        return False
    return True
