"""What a thread can be about. Each kind of subject names how to find its jury and its title, so
a thread about it is only ever opened from its own jury. Apps built later (recommendations) add
an entry here; the apps that own the subjects need not know about threads."""

from django.apps import apps
from django.utils.translation import gettext as _

SUBJECTS = {
    "evidence.evidenceitem": {
        "jury_id": lambda item: item.pack.jury_id,
        "title": lambda item: _("About the evidence: %(title)s") % {"title": item.title},
        "select": ["pack"],
    },
    "juries.agendaitem": {
        "jury_id": lambda item: item.sitting.jury_id,
        "title": lambda item: (
            _("%(sitting)s: %(item)s") % {"sitting": item.sitting.title, "item": item.title}
        ),
        "select": ["sitting"],
    },
}


def find_subject(label, pk, jury):
    """The object `label` (app_label.model) number `pk`, if it is a known kind of subject and
    belongs to `jury`; otherwise None."""
    spec = SUBJECTS.get(label)
    if spec is None:
        return None, None
    model = apps.get_model(label)
    subject = model.objects.select_related(*spec["select"]).filter(pk=pk).first()
    if subject is None or spec["jury_id"](subject) != jury.pk:
        return None, None
    return subject, spec["title"](subject)
