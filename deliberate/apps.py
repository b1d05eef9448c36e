from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberateConfig(AppConfig):
    name = "deliberate"
    verbose_name = _("Deliberation")

    def ready(self):
        from juries.accounts import EXPORTERS
        from juries.emails import GONE

        from . import signins
        from .export import posts_of
        from .threads import HIDDEN_NOTICE

        EXPORTERS["posts"] = posts_of
        # A queued email about a post its author withdrew, or a facilitator hid, is not sent
        # (but for the one telling the author it was hidden).
        GONE["deliberate.post"] = lambda post, template: (
            post.is_withdrawn or (post.is_hidden and template != HIDDEN_NOTICE)
        )
        # Live pages close when the session they were opened with ends.
        signins.connect()
