"""Recruiting volunteers for a jury's lottery: the form people register on, confirming and
withdrawing by emailed link, and the facilitators' settings and CSV import.

Contact details never reach the audit log or events: entries name a volunteer by pseudonym, or
give a count. Every function that changes something owns its transaction.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from juries import audit, emails, erasure, ratelimits
from juries.models import (
    Answer,
    Category,
    PlaceState,
    Recruitment,
    RecruitmentState,
    Volunteer,
    VolunteerSource,
)
from juries.refusals import Refused

RATE_WINDOW_SECONDS = 60 * 60


POOL_FIXED = _lazy(
    "The lottery has been computed from the pool as it was, so nobody can join it now. To "
    "change the pool, cancel the computed lottery on the draw page first (a published one cannot "
    "be changed)."
)


class RecruitmentError(Refused):
    """Something a person asked for cannot be done; the message says why in plain words."""


class RegistrationsLimited(RecruitmentError):
    pass


def recruitment_for(jury):
    recruitment, _created = Recruitment.objects.get_or_create(jury=jury)
    return recruitment


def _locked_recruitment(jury):
    recruitment_for(jury)
    return Recruitment.objects.select_for_update().get(jury=jury)


# --- facilitators' settings -------------------------------------------------------------------


def open_recruitment(jury, by):
    """Open the registration form. Facilitators only (MANAGE_RECRUITMENT); idempotent."""
    with transaction.atomic():
        recruitment = _locked_recruitment(jury)
        if recruitment.is_open:
            return recruitment
        if jury.draws.live().exists():
            raise RecruitmentError(POOL_FIXED)
        recruitment.state = RecruitmentState.OPEN
        recruitment.opened_at = timezone.now()
        recruitment.save(update_fields=["state", "opened_at"])
        audit.record(
            actor=by,
            action="recruitment.open",
            jury=jury,
            target=recruitment,
            summary=_("Opened registration of interest for the lottery."),
        )
    return recruitment


def close_recruitment(jury, by):
    """Close the registration form. Facilitators only (MANAGE_RECRUITMENT); idempotent."""
    with transaction.atomic():
        recruitment = _locked_recruitment(jury)
        if recruitment.state == RecruitmentState.CLOSED:
            return recruitment
        recruitment.state = RecruitmentState.CLOSED
        recruitment.closed_at = timezone.now()
        recruitment.save(update_fields=["state", "closed_at"])
        audit.record(
            actor=by,
            action="recruitment.close",
            jury=jury,
            target=recruitment,
            summary=_("Closed registration of interest for the lottery."),
        )
    return recruitment


def update_recruitment(jury, by, panel_size, eligibility, retention_days):
    """Change the panel size, the eligibility statements and how long details are kept (at most
    `SELECTION_RETENTION_MAX_DAYS`, which the privacy notice's promise rests on)."""
    if not 0 <= retention_days <= settings.SELECTION_RETENTION_MAX_DAYS:
        raise RecruitmentError(
            _("Keep details for at most %(limit)s days after the report.")
            % {"limit": settings.SELECTION_RETENTION_MAX_DAYS}
        )
    with transaction.atomic():
        recruitment = _locked_recruitment(jury)
        recruitment.panel_size = panel_size
        recruitment.eligibility = eligibility.strip()
        recruitment.retention_days = retention_days
        recruitment.save(update_fields=["panel_size", "eligibility", "retention_days"])
        audit.record(
            actor=by,
            action="recruitment.update",
            jury=jury,
            target=recruitment,
            summary=_(
                "Set the panel to %(size)s jurors and keeping details for %(days)s days after "
                "the report."
            )
            % {"size": panel_size, "days": retention_days},
        )
    return recruitment


# --- links and emails -------------------------------------------------------------------------


def _email(kind, volunteer):
    """Queue a note to `volunteer` by reference: its links, which hold their token, and their
    address are read when it is sent, and it is not sent once they have withdrawn."""
    emails.queue(
        f"juries/email/volunteer_{kind}",
        to=volunteer,
        context={"volunteer": volunteer, "jury": volunteer.jury},
    )


# --- the public registration form -------------------------------------------------------------


def _count_registration(request, email):
    """Count one registration against the client's address and against the email address;
    refuse past either hourly limit.

    Counted before anything is stored, so refused attempts count too. The address is the one
    allauth's sign-in limits use (juries/ratelimits.py), so behind the documented proxy each
    person counts on their own; the email limit stops many machines flooding one inbox.
    """
    if request is None:
        return
    address = ratelimits.client_address(request)
    if not ratelimits.within_limit(
        "volunteer-registrations-address",
        address,
        limit=settings.VOLUNTEER_REGISTRATIONS_PER_HOUR,
        window=RATE_WINDOW_SECONDS,
    ):
        raise RegistrationsLimited(
            _(
                "Too many registrations have come from your network in the last hour. "
                "Please try again in an hour, or contact the facilitators."
            )
        )
    if not ratelimits.within_limit(
        "volunteer-registrations-email",
        email,
        limit=settings.VOLUNTEER_REGISTRATIONS_PER_EMAIL_PER_HOUR,
        window=RATE_WINDOW_SECONDS,
    ):
        raise RegistrationsLimited(
            _(
                "This email address has been used to register too many times in the last hour. "
                "Please look in its inbox for our email, or try again in an hour."
            )
        )


def _checked_answers(jury, answers):
    """The (category, value) pairs for `answers`; every category must be answered once."""
    categories = Category.objects.filter(jury=jury).prefetch_related("values")
    pairs = []
    for category in categories:
        values = {value.pk: value for value in category.values.all()}
        value = values.get(_as_int(answers.get(category.pk)))
        if value is None:
            raise RecruitmentError(
                _("Answer the question “%(question)s”.") % {"question": category.question}
            )
        pairs.append((category, value))
    return pairs


def _as_int(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def _check_statements(recruitment, confirmed_statements):
    missing = set(recruitment.statements()) - set(confirmed_statements)
    if missing:
        raise RecruitmentError(_("Confirm each statement about who can take part."))


def _existing(jury, email):
    return (
        Volunteer.objects.select_for_update()
        .filter(jury=jury, email=email, withdrawn_at__isnull=True)
        .first()
    )


def register(jury, *, name, email, answers, access_needs="", confirmed_statements=(), request=None):
    """Register someone's interest from the public form; returns the (unconfirmed) Volunteer.

    Anyone may call it while recruitment is open, at most VOLUNTEER_REGISTRATIONS_PER_HOUR times
    an hour from one network address and VOLUNTEER_REGISTRATIONS_PER_EMAIL_PER_HOUR times with
    one email address. Emails a link to confirm. If the address is already registered, it
    sends the link again (unconfirmed) or a short "already registered" note (confirmed), and
    changes nothing, so the form never tells a stranger whether an address is registered.
    """
    email = email.strip().lower()
    _count_registration(request, email)
    with transaction.atomic():
        recruitment = _locked_recruitment(jury)
        if not recruitment.is_open:
            raise RecruitmentError(_("Registration for this jury is not open."))
        _check_statements(recruitment, confirmed_statements)
        pairs = _checked_answers(jury, answers)
        existing = _existing(jury, email)
        if existing is not None:
            kind = "already" if existing.confirmed_at else "confirm"
            _email(kind, existing)
            return existing
        volunteer = _create(jury, name, email, access_needs, pairs)
        _email("confirm", volunteer)
    return volunteer


def _create(jury, name, email, access_needs, pairs):
    now = timezone.now()
    try:
        with transaction.atomic():
            volunteer = Volunteer.objects.create(
                jury=jury,
                name=name.strip(),
                email=email,
                access_needs=access_needs.strip(),
                source=VolunteerSource.FORM,
                consented_at=now,
            )
    except IntegrityError as error:  # the same address sent at the same moment
        # Said vaguely on purpose: the form must not tell anyone whether an address is registered.
        raise RecruitmentError(
            _("Your registration could not be saved. Please try again.")
        ) from error
    Answer.objects.bulk_create(
        Answer(volunteer=volunteer, category=category, value=value) for category, value in pairs
    )
    return volunteer


def confirm(volunteer):
    """Put a volunteer who followed their emailed link into the pool. Idempotent.

    Refused while recruitment is not open, so the pool does not change under a closed draw.
    """
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if volunteer.withdrawn_at is not None:
            raise RecruitmentError(_("You withdrew, so this registration cannot be confirmed."))
        if volunteer.confirmed_at is not None:
            return volunteer
        if not recruitment_for(volunteer.jury).is_open:
            raise RecruitmentError(
                _("Registration has closed, so this registration can no longer be confirmed.")
            )
        volunteer.confirmed_at = timezone.now()
        volunteer.save(update_fields=["confirmed_at"])
    return volunteer


def withdraw(volunteer, request=None, *, notify=True):
    """Take a volunteer out of the pool and erase their contact details at once. Idempotent.

    The pseudonym and answers stay: a published draw may refer to them, and they say nothing
    about who the person is. No copy of the address is left (see juries.erasure). A last email to
    the address confirms it was erased, sent at once since the address is kept nowhere (unless
    `notify` is off: deleting an account sends its own confirmation).
    """
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if volunteer.withdrawn_at is not None:
            return volunteer
        address = volunteer.email
        volunteer.withdrawn_at = timezone.now()
        volunteer.name = ""
        volunteer.email = f"withdrawn-{volunteer.pseudonym}@invalid"
        volunteer.access_needs = ""
        volunteer.save(update_fields=["withdrawn_at", "name", "email", "access_needs"])
        _release_places(volunteer)
        erasure.forget_invitations_of([volunteer])
    # After the row lock is released: this reads every stored session.
    erasure.end_sessions_holding([address])
    if notify:
        emails.send_now(
            "juries/email/volunteer_withdrawn",
            address,
            {"jury": volunteer.jury},
            request=request,
            failure_message=_(
                "Your details are erased, but we could not send the email that confirms it."
            ),
        )
    return volunteer


def _release_places(volunteer):
    """A drawn volunteer who withdraws leaves their place free to be filled from the reserves.
    (An invitation not yet accepted is withdrawn by erasure.forget_invitations_of.)"""
    for place in volunteer.places.select_related("invitation").filter(
        state__in=[PlaceState.WAITING, PlaceState.INVITED]
    ):
        invitation = place.invitation
        if invitation is None or invitation.accepted_at is None:
            place.state = PlaceState.UNAVAILABLE
            place.save(update_fields=["state"])
        audit.record(
            actor=None,
            action="volunteer.withdraw",
            jury=volunteer.jury,
            target=place,
            summary=_("%(pseudonym)s withdrew after the draw; their place can be filled.")
            % {"pseudonym": volunteer.pseudonym},
        )


def record_export(jury, by):
    """Note in the audit log that a facilitator downloaded volunteers' contact details."""
    audit.record(
        actor=by,
        action="recruitment.export",
        jury=jury,
        summary=_("Downloaded the list of volunteers with their contact details."),
    )
