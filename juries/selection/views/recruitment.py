"""Recruitment pages: the public registration form and privacy notice, the emailed confirm and
withdraw links, and the facilitators' settings, list of volunteers, export and import.

The confirm and withdraw pages are opened by the volunteer's secret token, not by membership:
the token is their only key, and they may withdraw even if the jury stops being public.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from juries import csv_export, refusals
from juries.idempotency import once
from juries.models import Recruitment, Volunteer
from juries.permissions import Action, get_jury_for, get_jury_for_volunteers

from .. import disclosure
from .. import recruitment as services
from .. import volunteer_import as importing
from ..forms.recruitment import RecruitmentSettingsForm, VolunteerForm, VolunteerImportForm

VOLUNTEERS_PER_PAGE = 100
TEMPLATES = "juries/selection/"


# --- public pages ------------------------------------------------------------------------------


def _volunteer_form(request, jury, recruitment):
    categories = jury.selection_categories.prefetch_related("values")
    return VolunteerForm(
        request.POST if request.method == "POST" else None,
        jury=jury,
        categories=categories,
        statements=recruitment.statements(),
    )


def _register_from(request, jury, form):
    """Call the service; on refusal, put its reason on the form and return the status to use."""
    try:
        services.register(
            jury,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            answers=form.answers(),
            access_needs=form.cleaned_data["access_needs"],
            confirmed_statements=form.confirmed_statements(),
            request=request,
        )
    except services.RegistrationsLimited as error:
        form.add_error(None, str(error))
        return 429
    except refusals.Refused as error:
        refusals.on_form(form, error)
        return 200
    return None


@require_http_methods(["GET", "POST"])
def volunteer_register(request, slug):
    access = get_jury_for_volunteers(request.user, slug)
    jury = access.jury
    recruitment = Recruitment.objects.of(jury)
    context = {"access": access, "jury": jury, "recruitment": recruitment}
    if request.method == "GET" and request.GET.get("sent"):
        return render(request, TEMPLATES + "recruit_check_email.html", context)
    if not recruitment.is_open:
        return render(request, TEMPLATES + "recruit_not_open.html", context)
    form = _volunteer_form(request, jury, recruitment)
    status = 200
    if request.method == "POST":
        sent = reverse("juries:volunteer-register", args=[slug]) + "?sent=1"
        if form.is_from_a_bot:
            return redirect(sent)  # pretend it worked; store and send nothing
        if form.is_valid():
            status = _register_from(request, jury, form)
            if status is None:
                return redirect(sent)
    return render(
        request, TEMPLATES + "recruit_form.html", {**context, "form": form}, status=status
    )


@require_GET
def volunteer_privacy(request, slug):
    access = get_jury_for_volunteers(request.user, slug)
    return render(
        request,
        TEMPLATES + "recruit_privacy.html",
        {
            "access": access,
            "jury": access.jury,
            "recruitment": Recruitment.objects.of(access.jury),
            "after_draw_days": settings.SELECTION_DELETE_AFTER_DRAW_DAYS,
            "smallest_group": disclosure.SMALLEST_GROUP,
        },
    )


def _by_token(token):
    return Volunteer.objects.select_related("jury").filter(token=token).first()


def _token_page(request, token, template, service):
    """GET shows a page with one button; POST does `service` and comes back to the page."""
    volunteer = _by_token(token)
    if volunteer is None:
        return render(request, TEMPLATES + "recruit_unknown.html", status=404)
    problem = None
    if request.method == "POST":
        try:
            service(volunteer)
        except refusals.Refused as error:
            problem = str(error)
        else:
            return redirect(request.path)
    context = {"volunteer": volunteer, "jury": volunteer.jury, "problem": problem}
    return render(request, TEMPLATES + template, context)


@require_http_methods(["GET", "POST"])
def volunteer_confirm(request, token):
    """Mail scanners open links, so a GET only shows the button; the POST confirms."""
    return _token_page(request, token, "recruit_confirm.html", services.confirm)


@require_http_methods(["GET", "POST"])
def volunteer_withdraw(request, token):
    return _token_page(
        request,
        token,
        "recruit_withdraw.html",
        lambda volunteer: services.withdraw(volunteer, request=request),
    )


# --- facilitators' pages -----------------------------------------------------------------------


def _change_recruitment(request, jury):
    """Handle the page's POST; return the settings form to show again, or None when done."""
    action = request.POST.get("do")
    if action == "open":
        try:
            services.open_recruitment(jury, request.user)
        except refusals.Refused as error:
            refusals.show(request, error)
            return None
        messages.success(request, _("Registration is open. People can now register."))
        return None
    if action == "close":
        services.close_recruitment(jury, request.user)
        messages.success(request, _("Registration is closed."))
        return None
    form = RecruitmentSettingsForm(request.POST, instance=Recruitment(jury=jury))
    if not form.is_valid():
        return form
    services.update_recruitment(jury, request.user, **form.cleaned_data)
    messages.success(request, _("Recruitment settings saved."))
    return None


@login_required
@require_http_methods(["GET", "POST"])
@once
def recruitment(request, slug):
    """Settings and open/close. Facilitators read it at any stage; change it before learning."""
    action = Action.MANAGE_RECRUITMENT if request.method == "POST" else Action.VIEW_VOLUNTEERS
    access = get_jury_for(request.user, slug, action=action)
    jury = access.jury
    current = (
        services.recruitment_for(jury) if request.method == "POST" else Recruitment.objects.of(jury)
    )
    form = RecruitmentSettingsForm(instance=current)
    if request.method == "POST":
        form = _change_recruitment(request, jury)
        if form is None:
            return redirect("juries:recruitment", slug)
    return render(
        request,
        TEMPLATES + "recruit_settings.html",
        {
            "access": access,
            "jury": jury,
            "recruitment": current,
            "form": form,
            "counts": jury.volunteers.counts(),
            "register_url": request.build_absolute_uri(
                reverse("juries:volunteer-register", args=[slug])
            ),
        },
    )


def _status(volunteer):
    if volunteer.withdrawn_at:
        return _("Withdrawn")
    if volunteer.confirmed_at:
        return _("In the pool")
    return _("Not confirmed yet")


def _rows(jury, volunteers):
    """Each volunteer with their status and answers in category order, for a table or a CSV."""
    categories = list(jury.selection_categories.all())
    rows = []
    for volunteer in volunteers:
        labels = {answer.category_id: answer.value.label for answer in volunteer.answers.all()}
        answers = [labels.get(category.pk, "") for category in categories]
        rows.append({"volunteer": volunteer, "status": _status(volunteer), "answers": answers})
    return categories, rows


def _volunteers(jury):
    return jury.volunteers.prefetch_related("answers__value").order_by("registered_at", "id")


@login_required
@require_GET
def volunteer_list(request, slug):
    access = get_jury_for(request.user, slug, action=Action.VIEW_VOLUNTEERS)
    jury = access.jury
    page = Paginator(_volunteers(jury), VOLUNTEERS_PER_PAGE).get_page(request.GET.get("page"))
    categories, rows = _rows(jury, page.object_list)
    return render(
        request,
        TEMPLATES + "recruit_volunteers.html",
        {
            "access": access,
            "jury": jury,
            "page": page,
            "categories": categories,
            "rows": rows,
            "counts": jury.volunteers.counts(),
        },
    )


@login_required
@require_GET
def volunteer_export(request, slug):
    access = get_jury_for(request.user, slug, action=Action.VIEW_VOLUNTEERS)
    jury = access.jury
    categories, rows = _rows(jury, _volunteers(jury))
    services.record_export(jury, request.user)
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{jury.slug}-volunteers-{stamp}.csv"'
    # The one CSV writer stops a spreadsheet from running a volunteer's typed text as a formula.
    writer = csv_export.writer(response)
    header = ["name", "email", *(c.name for c in categories), "access needs"]
    writer.writerow([*header, "status", "pseudonym", "registered"])
    for row in rows:
        volunteer = row["volunteer"]
        cells = [volunteer.name, volunteer.email, *row["answers"], volunteer.access_needs]
        cells += [
            row["status"],
            volunteer.pseudonym,
            timezone.localdate(volunteer.registered_at).isoformat(),
        ]
        writer.writerow(cells)
    return response


def _report_import(request, result):
    count = len(result.imported)
    messages.success(
        request,
        ngettext(
            "%(count)s volunteer imported and emailed their link to withdraw.",
            "%(count)s volunteers imported and emailed their link to withdraw.",
            count,
        )
        % {"count": count},
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def volunteer_import(request, slug):
    access = get_jury_for(request.user, slug, action=Action.MANAGE_RECRUITMENT)
    jury = access.jury
    form, result = VolunteerImportForm(), None
    if request.method == "POST":
        form = VolunteerImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = importing.import_volunteers(
                jury, form.cleaned_data["csv_file"], request.user, request=request
            )
            if not result.problems:
                _report_import(request, result)
                return redirect("juries:volunteer-list", slug)
    categories = jury.selection_categories.prefetch_related("values")
    return render(
        request,
        TEMPLATES + "recruit_import.html",
        {"access": access, "jury": jury, "form": form, "result": result, "categories": categories},
    )


MANAGE = "juries/<slug:slug>/manage/selection/"

urlpatterns = [
    path("juries/<slug:slug>/volunteer/", volunteer_register, name="volunteer-register"),
    path("juries/<slug:slug>/volunteer/privacy/", volunteer_privacy, name="volunteer-privacy"),
    path("volunteer/<str:token>/confirm/", volunteer_confirm, name="volunteer-confirm"),
    path("volunteer/<str:token>/withdraw/", volunteer_withdraw, name="volunteer-withdraw"),
    path(MANAGE + "recruitment/", recruitment, name="recruitment"),
    path(MANAGE + "volunteers/", volunteer_list, name="volunteer-list"),
    path(MANAGE + "volunteers.csv", volunteer_export, name="volunteer-export"),
    path(MANAGE + "volunteers/import/", volunteer_import, name="volunteer-import"),
]
