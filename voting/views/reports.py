"""Pages for sign-off and the report: the draft, publishing, every version, the
downloads, checking a downloaded copy, and corrections.

Who may do what comes from `juries.permissions`; each view asks it, calls one service and
renders. Published versions follow the jury's public page: anyone when the jury is public,
members otherwise.
"""

from functools import wraps
from pathlib import Path

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import path, register_converter, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from juries import refusals
from juries.idempotency import once
from juries.permissions import (
    Action,
    get_jury_for,
    get_public_jury,
    offers_first_publication,
)

from .. import dissent as dissent_service
from .. import report_chain, report_files
from .. import reports as report_service
from ..forms.reports import (
    VERIFY_MAX_BYTES,
    CorrectionForm,
    SignOffForm,
    VerifyForm,
)
from ..models import Report, ReportFileState, ReportFormat, SignOff

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "report_schema.json"
CONTENT_TYPES = {
    ReportFormat.JSON: "application/json",
    ReportFormat.CSV: "text/csv; charset=utf-8",
    ReportFormat.PDF: "application/pdf",
}
# A request body this much larger than the largest file allowed is refused before it is read:
# room for the multipart headers and the other fields.
VERIFY_MAX_REQUEST = VERIFY_MAX_BYTES + 64 * 1024


class VersionConverter:
    """A report version in a URL: at most 9 digits, so a huge number is "not found", never an
    error (int() refuses strings of more than 4300 digits)."""

    regex = "[0-9]{1,9}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(VersionConverter, "report_version")


def _public_access(request, slug):
    """Published versions: anyone for a public jury, members otherwise. Anonymous visitors to a
    jury they cannot see are asked to sign in (whether or not it exists, so nothing leaks)."""
    try:
        return get_public_jury(request.user, slug)
    except Http404:
        if not request.user.is_authenticated:
            raise _SignIn from None
        raise


class _SignIn(Exception):
    """Raised by `_public_access` for an anonymous visitor; `public_page` turns it into a
    redirect to the sign-in page."""


def public_page(view):
    """For pages anyone may see when the jury is public: no `login_required`, but anonymous
    visitors to a jury they cannot see are sent to sign in rather than shown 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _SignIn:
            return redirect_to_login(request.get_full_path())

    return wrapper


# --- The draft, sign-off and publishing ----------------------------------------------------


def _latest(jury):
    return Report.objects.filter(jury=jury).order_by("-version").first()


def _draft_page(request, access, form=None, status=200):
    jury = access.jury
    mine = SignOff.objects.filter(jury=jury, juror=request.user).first()
    if form is None and access.may[Action.SIGN_OFF]:
        form = SignOffForm(initial={"choice": mine.choice, "note": mine.note} if mine else None)
    return render(
        request,
        "voting/reports/draft.html",
        {
            "access": access,
            "jury": jury,
            "content": report_service.build_content(jury),
            "counts": dissent_service.sign_off_counts(jury),
            "mine": mine,
            "form": form,
            "vote_closed": report_service.closed_vote(jury) is not None,
            "may_publish": offers_first_publication(access),
        },
        status=status,
    )


@public_page
def report(request, slug):
    """Before publication, the draft for members who read recommendations; afterwards, the
    latest version for anyone who may see the jury's public page."""
    latest = Report.objects.filter(jury__slug=slug).order_by("-version").first()
    if latest is not None:
        _public_access(request, slug)
        return redirect(latest.get_absolute_url())
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = get_jury_for(request.user, slug, action=Action.VIEW_RECOMMENDATIONS)
    return _draft_page(request, access)


@login_required
@require_POST
@once
def sign_off(request, slug):
    access = get_jury_for(request.user, slug, action=Action.SIGN_OFF)
    form = SignOffForm(request.POST)
    if form.is_valid():
        try:
            dissent_service.sign_off(
                access.jury, request.user, form.cleaned_data["choice"], form.cleaned_data["note"]
            )
        except refusals.Refused as error:
            refusals.on_form(form, error)
        else:
            messages.success(request, _("Thank you. Your answer is recorded."))
            return redirect(reverse("voting:report", args=[slug]) + "#sign-off")
    return _draft_page(request, access, form=form, status=400)


@reauthentication_required
@once
def _publish(request, access):
    try:
        published = report_service.publish_report(access.jury, request.user)
    except refusals.Refused as error:
        return _confirm_page(request, access, error=str(error), status=400)
    messages.success(request, _("The report is published. Its content can no longer change."))
    return redirect(published.get_absolute_url())


def _confirm_page(request, access, error="", status=200):
    return render(
        request,
        "voting/reports/publish_confirm.html",
        {
            "access": access,
            "jury": access.jury,
            "error": error,
            "counts": dissent_service.sign_off_counts(access.jury),
            "vote_closed": report_service.closed_vote(access.jury) is not None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_publish(request, slug):
    access = get_jury_for(request.user, slug, action=Action.PUBLISH_REPORT)
    if request.method == "POST":
        return _publish(request, access)
    latest = _latest(access.jury)
    if latest is not None:
        messages.info(request, _("The report is already published. You can publish a correction."))
        return redirect("voting:report-correct", slug)
    return _confirm_page(request, access)


@reauthentication_required
@once
def _correct(request, access, form):
    try:
        corrected = report_service.publish_correction(
            access.jury, request.user, form.cleaned_data["reason"]
        )
    except refusals.Refused as error:
        refusals.on_form(form, error)
        return _correction_page(request, access, form, status=400)
    messages.success(
        request, _("Version %(version)s is published.") % {"version": corrected.version}
    )
    return redirect(corrected.get_absolute_url())


def _correction_page(request, access, form, status=200):
    return render(
        request,
        "voting/reports/correction_form.html",
        {"access": access, "jury": access.jury, "form": form, "latest": _latest(access.jury)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_correct(request, slug):
    access = get_jury_for(request.user, slug, action=Action.PUBLISH_REPORT)
    form = CorrectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            return _correct(request, access, form)
        return _correction_page(request, access, form, status=400)
    return _correction_page(request, access, form)


# --- Published versions --------------------------------------------------------------------


def _pdf_of(report):
    return next((file for file in report.files.all() if file.format == ReportFormat.PDF), None)


def _pdf_context(access, report, pdf):
    """What the PDF's status region needs: `poll` while the worker is at it (not once stuck),
    `seen` names what the region says, so asking again can tell whether it changed."""
    stuck = pdf is not None and report_files.is_stuck(pdf)
    waiting = pdf is not None and pdf.state in (ReportFileState.QUEUED, ReportFileState.MAKING)
    return {
        "access": access,
        "jury": access.jury,
        "report": report,
        "pdf": pdf,
        "pdf_stuck": stuck,
        "poll": waiting and not stuck,
        "seen": "stuck" if stuck else f"{pdf.state}-{pdf.progress}" if pdf else "",
    }


@public_page
def report_version(request, slug, version):
    access = _public_access(request, slug)
    versions = report_service.versions_of(access.jury)
    shown = next((each for each in versions if each.version == version), None)
    if shown is None:
        raise Http404
    files = {file.format: file for file in shown.files.all()}
    return render(
        request,
        "voting/reports/version.html",
        {
            **_pdf_context(access, shown, files.get(ReportFormat.PDF)),
            "content": shown.content,
            "files": [files[fmt] for fmt in ReportFormat if fmt in files],
            "versions": versions,
        },
    )


@public_page
@require_GET
def report_pdf_status(request, slug, version):
    """What the version page's PDF status region says, on its own, for the page to ask again
    every few seconds (htmx). 204 when it still says what `?seen=` names: nothing to swap in,
    so nothing is read out again."""
    access = _public_access(request, slug)
    shown = get_object_or_404(Report, jury=access.jury, version=version)
    pdf = _pdf_of(shown)
    if pdf is None:
        raise Http404
    context = _pdf_context(access, shown, pdf)
    if request.GET.get("seen") == context["seen"]:
        return HttpResponse(status=204)
    return render(request, "voting/reports/_pdf_status.html", context)


@public_page
def report_download(request, slug, version, fmt):
    access = _public_access(request, slug)
    if fmt not in CONTENT_TYPES:
        raise Http404
    shown = get_object_or_404(Report, jury=access.jury, version=version)
    file = shown.files.filter(format=fmt, state=ReportFileState.READY).first()
    if file is None:
        raise Http404
    response = HttpResponse(bytes(file.data), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{access.jury.slug}-report-v{shown.version}.{fmt}"'
    )
    return response


@login_required
@require_POST
@once
def report_pdf_retry(request, slug, version):
    access = get_jury_for(request.user, slug, action=Action.PUBLISH_REPORT)
    shown = get_object_or_404(Report, jury=access.jury, version=version)
    file = shown.files.filter(format=ReportFormat.PDF).first()
    if file is not None and report_files.retry_pdf(file, request.user):
        messages.success(request, _("The PDF will be made again. This page shows its progress."))
    else:
        messages.info(
            request, _("The PDF is ready, or still being made, so there is nothing to retry.")
        )
    return redirect(shown.get_absolute_url())


def _body_too_large(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > VERIFY_MAX_REQUEST
    except ValueError:
        return False  # Django's own parsing deals with a malformed length


# csrf_exempt, then csrf_protect inside: the CSRF check reads the posted form, so an oversized
# upload is refused first (from its declared length, reading nothing) and only then checked.
@csrf_exempt
@public_page
@require_http_methods(["GET", "POST"])
def report_verify(request, slug):
    """Check a downloaded file: which version and format it is, or that it matches none."""
    access = _public_access(request, slug)
    if request.method == "POST" and _body_too_large(request):
        message = _(
            "That file is larger than %(size)s, so it cannot be a copy of this report. It was "
            "not checked or kept."
        ) % {"size": filesizeformat(VERIFY_MAX_BYTES)}
        context = {"access": access, "jury": access.jury, "form": VerifyForm.refused(message)}
        return render(request, "voting/reports/verify.html", context, status=413)
    return _verify(request, access)


@csrf_protect
def _verify(request, access):
    posted = request.method == "POST"
    form = VerifyForm(request.POST if posted else None, request.FILES if posted else None)
    context = {"access": access, "jury": access.jury, "form": form}
    if posted and not form.is_valid():
        return render(request, "voting/reports/verify.html", context, status=400)
    if posted:
        digest = report_files.file_hash(form.cleaned_data["file"])
        context["form"] = VerifyForm()
        context["checked"] = report_chain.check(access.jury, digest)
        context["digest"] = digest
    context["published"] = _latest(access.jury) is not None
    return render(request, "voting/reports/verify.html", context)


@public_page
def report_schema(request, slug):
    _public_access(request, slug)
    return HttpResponse(SCHEMA_PATH.read_bytes(), content_type="application/schema+json")


J = "juries/<slug:slug>/"

urlpatterns = [
    path(J + "report/", report, name="report"),
    path(J + "report/sign-off/", sign_off, name="report-sign-off"),
    path(J + "report/publish/", report_publish, name="report-publish"),
    path(J + "report/correct/", report_correct, name="report-correct"),
    path(J + "report/verify/", report_verify, name="report-verify"),
    path(J + "report/schema.json", report_schema, name="report-schema"),
    path(J + "report/v<report_version:version>/", report_version, name="report-version"),
    path(
        J + "report/v<report_version:version>/pdf/status/",
        report_pdf_status,
        name="report-pdf-status",
    ),
    path(
        J + "report/v<report_version:version>/pdf/retry/",
        report_pdf_retry,
        name="report-pdf-retry",
    ),
    path(
        J + "report/v<report_version:version>.<str:fmt>",
        report_download,
        name="report-download",
    ),
]
