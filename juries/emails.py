"""Outgoing email. Messages are rendered in the request and sent by the background worker."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django_tasks import task


@task()
def send_email(subject, text, to, html=None, from_email=None):
    """Send one message. Runs in the worker (`manage.py db_worker`), never inside a request."""
    message = EmailMultiAlternatives(
        subject, text, from_email or settings.DEFAULT_FROM_EMAIL, list(to)
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def queue_message(message):
    """Hand a rendered EmailMessage to the worker."""
    html = None
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    if getattr(message, "content_subtype", "plain") == "html":
        html, text = message.body, ""
    else:
        text = message.body
    send_email.enqueue(
        subject=message.subject,
        text=text,
        to=list(message.to),
        html=html,
        from_email=message.from_email,
    )


def queue_templated(template_prefix, to, context):
    """Render `<prefix>_subject.txt` and `<prefix>_message.txt` and queue the message."""
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    text = render_to_string(f"{template_prefix}_message.txt", context)
    send_email.enqueue(subject=subject, text=text, to=[to])
