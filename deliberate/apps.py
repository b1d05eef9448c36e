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

        EXPORTERS["posts"] = posts_of
        # A queued email about a post its author withdrew is not sent.
        GONE["deliberate.post"] = lambda post: post.is_withdrawn
        # Live pages close when the session they were opened with ends.
        signins.connect()
