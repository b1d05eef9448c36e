from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberateConfig(AppConfig):
    name = "deliberate"
    verbose_name = _("Deliberation")

    def ready(self):
        from juries import attention, navigation, next_step, parts
        from juries import sittings as sitting_service
        from juries.accounts import EXPORTERS, FORGET_IN_EVENT_STREAM
        from juries.emails import GONE
        from juries.navigation import Section, may
        from juries.permissions import Action

        from . import signins
        from .attention import flagged_posts, quiet_jurors
        from .export import forget_in_event_stream, posts_of
        from .next_steps import join_the_discussion, sitting_on_now
        from .room import room_was_used
        from .threads import HIDDEN_NOTICE

        EXPORTERS["posts"] = posts_of
        if forget_in_event_stream not in FORGET_IN_EVENT_STREAM:
            FORGET_IN_EVENT_STREAM.append(forget_in_event_stream)
        # A queued email about a post its author withdrew, or a facilitator hid, is not sent
        # (but for the one telling the author it was hidden).
        GONE["deliberate.post"] = lambda post, template: (
            post.is_withdrawn or (post.is_hidden and template != HIDDEN_NOTICE)
        )
        next_step.register(300, sitting_on_now)
        next_step.register(520, join_the_discussion)
        attention.register(10, flagged_posts)
        attention.register(30, quiet_jurors)
        navigation.register(
            Section("threads", _("Discussions"), "deliberate:threads", 40, may(Action.VIEW_THREADS))
        )
        parts.register("sitting-actions", "deliberate/parts/sitting_actions.html")
        parts.register("sitting-record", "deliberate/parts/sitting_record.html")
        # A sitting whose room was started, or had a turn or a poll, took place: it stays.
        sitting_service.register_held_sign(room_was_used)
        parts.register("agenda-item", "deliberate/parts/agenda_item.html")
        parts.register("evidence-item", "deliberate/parts/evidence_item.html")
        parts.register("account", "deliberate/parts/account.html")
        # Live pages close when the session they were opened with ends.
        signins.connect()
