"""One post: replying to it, editing it, its history, withdrawing, flagging and moderating it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from juries import refusals
from juries.idempotency import once
from juries.permissions import (
    Action,
    get_jury_for,
    may_change_post,
    may_flag_post,
    may_post_in,
    may_read_post,
)

from .. import threads as thread_service
from ..forms import PostForm, ReasonForm
from ..models import Post, PostState
from .threads import drafts_done


def get_post(access, post_id):
    return get_object_or_404(
        Post.objects.select_related("thread__jury", "thread__small_group", "author"),
        thread__jury=access.jury,
        pk=post_id,
    )


def _page(request, template, access, post, **extra):
    return render(
        request,
        template,
        {"access": access, "jury": access.jury, "may": access.may, "post": post, **extra},
    )


@login_required
def post_reply(request, slug, post_id):
    """A page to reply to one post: works without JavaScript, and on a phone keeps the post
    being answered in view."""
    access = get_jury_for(request.user, slug, action=Action.POST_IN_THREADS)
    post = get_post(access, post_id)
    if not post.is_visible:
        raise Http404  # withdrawn or hidden: there is nothing to reply to
    if not may_post_in(access, post.thread):
        raise PermissionDenied
    form = PostForm(initial={"reply_to": post.pk})
    return _page(request, "deliberate/post_reply.html", access, post, form=form)


@login_required
@require_http_methods(["GET", "POST"])
@once
def post_edit(request, slug, post_id):
    access = get_jury_for(request.user, slug, action=Action.POST_IN_THREADS)
    post = get_post(access, post_id)
    if not may_change_post(access, post):
        raise PermissionDenied
    form = PostForm(request.POST if request.method == "POST" else None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            thread_service.edit_post(post=post, body=form.cleaned_data["body"], by=request.user)
        except refusals.Refused as error:
            refusals.on_form(form, error, "body")
        else:
            drafts_done(request, request.POST.get("draft", "")[:60])
            messages.success(
                request,
                _(
                    "Your changes have been saved. The earlier wording is kept in the post's history."
                ),
            )
            return redirect(post.get_absolute_url())
    return _page(request, "deliberate/post_edit.html", access, post, form=form)


@login_required
def post_history(request, slug, post_id):
    access = get_jury_for(request.user, slug, action=Action.VIEW_THREADS)
    post = get_post(access, post_id)
    if not may_read_post(access, post):
        raise PermissionDenied
    return _page(
        request, "deliberate/post_history.html", access, post, revisions=post.revisions.all()
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def post_withdraw(request, slug, post_id):
    access = get_jury_for(request.user, slug, action=Action.POST_IN_THREADS)
    post = get_post(access, post_id)
    if not may_change_post(access, post):
        raise PermissionDenied
    if request.method == "POST":
        thread_service.withdraw_post(post=post, by=request.user)
        messages.success(request, _("Your post has been withdrawn."))
        return redirect(post.get_absolute_url())
    return _page(request, "deliberate/post_withdraw.html", access, post)


@login_required
@require_http_methods(["GET", "POST"])
@once
def post_flag(request, slug, post_id):
    access = get_jury_for(request.user, slug, action=Action.FLAG_POSTS)
    post = get_post(access, post_id)
    if not may_flag_post(access, post):
        raise PermissionDenied
    form = ReasonForm(
        request.POST if request.method == "POST" else None,
        label=_("What is wrong with this post?"),
        help_text=_(
            "For example: it is rude, it shares someone's private details, or it is off topic. "
            "Only the facilitators see who flagged it."
        ),
    )
    if request.method == "POST" and form.is_valid():
        thread_service.flag_post(post=post, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request, _("Thank you. The facilitators have been asked to look at this post.")
        )
        return redirect(post.get_absolute_url())
    return _page(request, "deliberate/post_flag.html", access, post, form=form)


@login_required
@require_http_methods(["GET", "POST"])
@once
def post_moderate(request, slug, post_id):
    """Hide a post with a reason, show it again, or leave it shown and close its flags."""
    access = get_jury_for(request.user, slug, action=Action.MODERATE_POSTS)
    post = get_post(access, post_id)
    form = ReasonForm(
        request.POST if request.method == "POST" and request.POST.get("do") == "hide" else None,
        label=_("Why are you hiding it?"),
        help_text=_("The author and the observers will see this reason. Keep it short and kind."),
    )
    if request.method == "POST":
        done = _moderate(request, post, form)
        if done:
            return redirect(post.get_absolute_url())
    flags = post.flags.select_related("flagged_by").order_by("-created_at")
    return _page(request, "deliberate/post_moderate.html", access, post, form=form, flags=flags)


def _moderate(request, post, form):
    action = request.POST.get("do")
    if action == "hide" and form.is_valid():
        try:
            thread_service.hide_post(post=post, by=request.user, reason=form.cleaned_data["reason"])
        except refusals.Refused as error:
            refusals.on_form(form, error, "reason")
            return False
        messages.success(request, _("The post is hidden. Its author has been told why."))
        return True
    if action == "restore":
        thread_service.restore_post(post=post, by=request.user)
        messages.success(request, _("The post is shown again."))
        return True
    if action == "dismiss":
        thread_service.dismiss_flags(post=post, by=request.user)
        messages.success(request, _("The flags are closed and the post stays shown."))
        return True
    return False


@login_required
def moderation(request, slug):
    """Flagged and hidden posts, for facilitators and observers."""
    access = get_jury_for(request.user, slug, action=Action.VIEW_HIDDEN_POSTS)
    posts = (
        Post.objects.filter(thread__jury=access.jury)
        .annotate(open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
        .filter(Q(open_flags__gt=0) | Q(state=PostState.HIDDEN))
        .select_related("author", "thread", "hidden_by")
        .order_by("-open_flags", "-created_at")
    )
    return render(
        request,
        "deliberate/moderation.html",
        {"access": access, "jury": access.jury, "may": access.may, "posts": posts},
    )


J = "juries/<slug:slug>/"

urlpatterns = [
    path(J + "discussions/moderation/", moderation, name="moderation"),
    path(J + "posts/<int:post_id>/reply/", post_reply, name="post-reply"),
    path(J + "posts/<int:post_id>/edit/", post_edit, name="post-edit"),
    path(J + "posts/<int:post_id>/history/", post_history, name="post-history"),
    path(J + "posts/<int:post_id>/withdraw/", post_withdraw, name="post-withdraw"),
    path(J + "posts/<int:post_id>/flag/", post_flag, name="post-flag"),
    path(J + "posts/<int:post_id>/moderate/", post_moderate, name="post-moderate"),
]
