"""Threads: the list, one thread with its posts, starting a thread and posting in one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from juries import refusals
from juries.idempotency import once
from juries.permissions import Action, get_jury_for, may_post_in

from .. import threads as thread_service
from ..forms import PostForm, ThreadForm
from ..models import Post, Thread, ThreadVisit
from ..subjects import find_subject
from ..unread import mark_seen, new_posts, with_unread

DRAFTS_DONE = "drafts_done"


def get_thread(access, thread_id):
    """A thread of this jury, or 404 (another jury's thread is not found through this one)."""
    return get_object_or_404(
        Thread.objects.select_related("jury", "small_group"), jury=access.jury, pk=thread_id
    )


def drafts_done(request, key):
    """Tell the next page that the draft under `key` was saved, so the browser forgets it."""
    request.session[DRAFTS_DONE] = [*request.session.get(DRAFTS_DONE, []), key][-5:]


@login_required
def thread_list(request, slug):
    access = get_jury_for(request.user, slug, action=Action.VIEW_THREADS)
    threads = with_unread(
        access.jury.threads.select_related("small_group").order_by(
            F("last_post_at").desc(nulls_last=True), "-created_at"
        ),
        request.user,
    )
    return render(
        request,
        "deliberate/thread_list.html",
        {"access": access, "jury": access.jury, "threads": threads},
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def thread_create(request, slug):
    access = get_jury_for(request.user, slug, action=Action.POST_IN_THREADS)
    about = request.POST.get("about") or request.GET.get("about") or ""
    subject, title = find_subject(about, access) if about else (None, "")
    if about and subject is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = ThreadForm(data, initial={"title": title})
    if request.method == "POST" and form.is_valid():
        thread = _start_or_join(access, request.user, form.cleaned_data, subject)
        drafts_done(request, request.POST.get("draft", "")[:60])
        messages.success(request, _("Your message has been posted."))
        return redirect(thread.get_absolute_url())
    return render(
        request,
        "deliberate/thread_form.html",
        {"access": access, "jury": access.jury, "form": form, "about": about, "subject": subject},
    )


def _start_or_join(access, user, data, subject):
    """Start the thread; if someone started one about the same subject meanwhile, post there."""
    existing = subject and Thread.objects.about(subject).filter(jury=access.jury).first()
    if existing:
        thread_service.add_post(thread=existing, body=data["body"], by=user)
        return existing
    return thread_service.start_thread(
        jury=access.jury, title=data["title"], body=data["body"], by=user, subject=subject
    )


def _thread_page(request, access, thread, form=None, status=200):
    posts = list(
        Post.objects.filter(thread=thread)
        .select_related("author", "reply_to__author")
        .order_by("created_at", "id")
    )
    visit = ThreadVisit.objects.filter(thread=thread, user=request.user).first()
    new = new_posts(posts, visit, request.user)
    mark_seen(thread, request.user)
    return render(
        request,
        "deliberate/thread.html",
        {
            "access": access,
            "jury": access.jury,
            "may": access.may,
            "thread": thread,
            "posts": posts,
            "new_since": len(new),
            "first_new_id": new[0].pk if new else None,
            "may_post": may_post_in(access, thread),
            "form": form or PostForm(),
            "drafts_done": request.session.pop(DRAFTS_DONE, []),
        },
        status=status,
    )


@login_required
def thread_detail(request, slug, thread_id):
    access = get_jury_for(request.user, slug, action=Action.VIEW_THREADS)
    return _thread_page(request, access, get_thread(access, thread_id))


@login_required
@require_POST
@once
def post_create(request, slug, thread_id):
    access = get_jury_for(request.user, slug, action=Action.POST_IN_THREADS)
    thread = get_thread(access, thread_id)
    if not may_post_in(access, thread):
        raise PermissionDenied
    form = PostForm(request.POST)
    if form.is_valid():
        reply_to = None
        if form.cleaned_data["reply_to"]:
            reply_to = Post.objects.filter(thread=thread, pk=form.cleaned_data["reply_to"]).first()
        try:
            post = thread_service.add_post(
                thread=thread, body=form.cleaned_data["body"], by=request.user, reply_to=reply_to
            )
        except refusals.Refused as error:
            refusals.on_form(form, error, "body")
        else:
            drafts_done(request, request.POST.get("draft", "")[:60])
            messages.success(request, _("Your message has been posted."))
            return redirect(post.get_absolute_url())
    return _thread_page(request, access, thread, form=form, status=400)


@login_required
def discuss(request, slug, label, pk):
    """The discussion about one thing (an evidence item, an agenda item). The first person to
    write about it starts it; until then there is nothing to list."""
    access = get_jury_for(request.user, slug, action=Action.VIEW_THREADS)
    about = f"{label}:{pk}"
    subject, _title = find_subject(about, access)
    if subject is None:
        raise Http404
    thread = Thread.objects.about(subject).filter(jury=access.jury).first()
    if thread is not None:
        return redirect(thread.get_absolute_url())
    if not access.may[Action.POST_IN_THREADS]:
        messages.info(request, _("Nobody has discussed this yet."))
        return redirect("deliberate:threads", access.jury.slug)
    return redirect(f"{reverse('deliberate:thread-create', args=[access.jury.slug])}?about={about}")


J = "juries/<slug:slug>/"

urlpatterns = [
    path(J + "discussions/", thread_list, name="threads"),
    path(J + "discussions/new/", thread_create, name="thread-create"),
    path(J + "discussions/<int:thread_id>/", thread_detail, name="thread"),
    path(J + "discussions/<int:thread_id>/post/", post_create, name="post-create"),
    path(J + "discussions/about/<str:label>/<int:pk>/", discuss, name="discuss"),
]
