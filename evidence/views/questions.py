"""Witnesses, jurors' questions and their answers, and requests for more evidence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from juries import refusals
from juries.idempotency import once
from juries.permissions import Action, get_jury_for, is_the_witness, may_write_statement

from .. import questions as service
from ..forms import (
    AnswerForm,
    AssignForm,
    EvidenceRequestForm,
    MergeForm,
    QuestionForm,
    RespondForm,
    StatementForm,
    WitnessForm,
)
from ..models import EvidenceRequest, Question, QuestionState, Support


def _questions(jury, user):
    return (
        jury.questions.select_related("witness", "item", "asked_by", "merged_into")
        .annotate(
            support_count=Count("supports", distinct=True),
            supported=Exists(Support.objects.filter(question=OuterRef("pk"), user=user)),
        )
        .order_by("state", "-support_count", "created_at")
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def question_list(request, slug):
    access = get_jury_for(request.user, slug, action=Action.VIEW_EVIDENCE)
    jury = access.jury
    form = None
    if access.may[Action.ASK_QUESTIONS]:
        form = QuestionForm(
            request.POST if request.method == "POST" else None,
            jury=jury,
            initial={"witness": request.GET.get("witness"), "item": request.GET.get("item")},
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            question = service.ask(jury=jury, user=request.user, form=form)
            messages.success(
                request,
                _("Your question has been sent. You will get an email when it is answered."),
            )
            return redirect(question.get_absolute_url())
    all_questions = list(_questions(jury, request.user))
    return render(
        request,
        "evidence/question_list.html",
        {
            "access": access,
            "jury": jury,
            "form": form,
            "waiting": [q for q in all_questions if q.state == QuestionState.OPEN],
            "answered": [q for q in all_questions if q.state == QuestionState.ANSWERED],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def question_detail(request, slug, question_id):
    access = get_jury_for(request.user, slug, action=Action.VIEW_EVIDENCE)
    question = get_object_or_404(_questions(access.jury, request.user), pk=question_id)
    answering = service.may_answer(access, question)
    form = AnswerForm(request.POST if request.method == "POST" else None) if answering else None
    if request.method == "POST":
        if not answering:
            raise PermissionDenied
        if form.is_valid():
            service.answer(
                question=question,
                text=form.cleaned_data["answer"],
                by=request.user,
                request=request,
            )
            messages.success(
                request, _("Your answer is published, and the jurors who asked have been told.")
            )
            return redirect(question.get_absolute_url())
    context = {"access": access, "jury": access.jury, "question": question, "form": form}
    if question.is_answered:  # every earlier wording of the answer stays readable
        context["earlier"] = list(question.wordings.all())[:-1]
    if access.may[Action.MANAGE_QUESTIONS] and question.state != QuestionState.MERGED:
        context["assign_form"] = AssignForm(
            jury=access.jury, initial={"witness": question.witness_id}
        )
        context["merge_form"] = MergeForm(question=question)
    return render(request, "evidence/question_detail.html", context)


def _question_for(request, slug, question_id, action):
    access = get_jury_for(request.user, slug, action=action)
    return access, get_object_or_404(Question, pk=question_id, jury=access.jury)


@login_required
@require_POST
@once
def question_support(request, slug, question_id):
    _access, question = _question_for(request, slug, question_id, Action.ASK_QUESTIONS)
    try:
        if request.POST.get("withdraw"):
            service.withdraw_support(question=question, user=request.user)
            messages.success(request, _("You no longer support this question."))
        else:
            service.support(question=question, user=request.user)
            messages.success(request, _("You support this question."))
    except refusals.Refused as error:
        refusals.show(request, error, messages.INFO)
    if request.POST.get("back") == "list":
        return redirect("evidence:questions", slug)
    return redirect(question.get_absolute_url())


@login_required
@require_POST
@once
def question_assign(request, slug, question_id):
    access, question = _question_for(request, slug, question_id, Action.MANAGE_QUESTIONS)
    form = AssignForm(request.POST, jury=access.jury)
    if form.is_valid():
        service.assign(
            question=question,
            witness=form.cleaned_data["witness"],
            by=request.user,
            answer_by=form.cleaned_data["answer_by"],
        )
        messages.success(request, _("The question has been put to the witness."))
    elif "answer_by" in form.errors:
        messages.error(request, form.errors["answer_by"][0])
    else:
        messages.error(request, _("Choose a witness of this jury."))
    return redirect(question.get_absolute_url())


@login_required
@require_POST
@once
def question_merge(request, slug, question_id):
    _access, question = _question_for(request, slug, question_id, Action.MANAGE_QUESTIONS)
    form = MergeForm(request.POST, question=question)
    if not form.is_valid():
        messages.error(request, _("Choose the question to merge this one into."))
        return redirect(question.get_absolute_url())
    try:
        service.merge(question=question, into=form.cleaned_data["into"], by=request.user)
    except refusals.Refused as error:
        refusals.show(request, error)
        return redirect(question.get_absolute_url())
    messages.success(
        request, _("The questions have been merged; everyone who asked or supported is kept.")
    )
    return redirect(form.cleaned_data["into"].get_absolute_url())


@login_required
def witness_list(request, slug):
    access = get_jury_for(request.user, slug, action=Action.VIEW_EVIDENCE)
    witnesses = access.jury.witnesses.annotate(
        question_count=Count("questions", filter=~Q(questions__state=QuestionState.MERGED))
    )
    return render(
        request,
        "evidence/witness_list.html",
        {"access": access, "jury": access.jury, "witnesses": witnesses},
    )


@login_required
def witness_detail(request, slug, witness_id):
    access = get_jury_for(request.user, slug, action=Action.VIEW_EVIDENCE)
    witness = get_object_or_404(access.jury.witnesses, pk=witness_id)
    questions = (
        _questions(access.jury, request.user)
        .filter(witness=witness)
        .exclude(state=QuestionState.MERGED)
    )
    return render(
        request,
        "evidence/witness_detail.html",
        {
            "access": access,
            "jury": access.jury,
            "witness": witness,
            "questions": questions,
            "is_self": is_the_witness(access, witness),
            "may_write_statement": may_write_statement(access, witness),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def witness_edit(request, slug, witness_id=None):
    """Facilitators edit a whole profile; a witness writes their own statement."""
    access = get_jury_for(request.user, slug, action=Action.VIEW_EVIDENCE)
    witness = (
        get_object_or_404(access.jury.witnesses, pk=witness_id) if witness_id is not None else None
    )
    data = request.POST if request.method == "POST" else None
    if access.may[Action.MANAGE_WITNESSES]:
        form = WitnessForm(data, instance=witness, jury=access.jury)
    elif witness and may_write_statement(access, witness):
        form = StatementForm(data, instance=witness)
    else:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        witness = form.save(commit=False)
        witness.jury = access.jury
        witness.save()
        messages.success(request, _("The witness profile has been saved."))
        return redirect("evidence:witness", slug, witness.pk)
    return render(
        request,
        "evidence/witness_form.html",
        {"access": access, "jury": access.jury, "witness": witness, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def request_list(request, slug):
    access = get_jury_for(request.user, slug, action=Action.VIEW_EVIDENCE)
    may_ask = access.may[Action.REQUEST_EVIDENCE]
    form = (
        EvidenceRequestForm(request.POST if request.method == "POST" else None) if may_ask else None
    )
    if request.method == "POST":
        if not may_ask:
            raise PermissionDenied
        if form.is_valid():
            item = form.save(commit=False)
            item.jury, item.asked_by = access.jury, request.user
            item.save()
            messages.success(request, _("Your request has been sent to the facilitators."))
            return redirect("evidence:requests", slug)
    requests = access.jury.evidence_requests.select_related("asked_by", "responded_by")
    if not access.may[Action.RESPOND_TO_REQUESTS]:
        requests = requests.filter(asked_by=request.user)
    return render(
        request,
        "evidence/request_list.html",
        {
            "access": access,
            "jury": access.jury,
            "form": form,
            "requests": requests,
            "respond_form": RespondForm(),
        },
    )


@login_required
@require_POST
@once
def request_respond(request, slug, request_id):
    access = get_jury_for(request.user, slug, action=Action.RESPOND_TO_REQUESTS)
    evidence_request = get_object_or_404(EvidenceRequest, pk=request_id, jury=access.jury)
    form = RespondForm(request.POST)
    if form.is_valid():
        service.respond(evidence_request=evidence_request, by=request.user, **form.cleaned_data)
        messages.success(request, _("Your reply has been saved."))
    else:
        messages.error(request, _("Choose a decision and write a reply to the juror."))
    return redirect("evidence:requests", slug)


J = "juries/<slug:slug>/evidence/"

urlpatterns = [
    path(J + "questions/", question_list, name="questions"),
    path(J + "questions/<int:question_id>/", question_detail, name="question"),
    path(J + "questions/<int:question_id>/support/", question_support, name="question-support"),
    path(J + "questions/<int:question_id>/assign/", question_assign, name="question-assign"),
    path(J + "questions/<int:question_id>/merge/", question_merge, name="question-merge"),
    path(J + "witnesses/", witness_list, name="witnesses"),
    path(J + "witnesses/new/", witness_edit, name="witness-create"),
    path(J + "witnesses/<int:witness_id>/", witness_detail, name="witness"),
    path(J + "witnesses/<int:witness_id>/edit/", witness_edit, name="witness-edit"),
    path(J + "requests/", request_list, name="requests"),
    path(J + "requests/<int:request_id>/respond/", request_respond, name="request-respond"),
]
