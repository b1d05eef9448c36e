"""What a thread can be about. Each kind of subject names how to find its jury and its title, so
a thread about it is only ever opened from its own jury. Apps built later (recommendations) add
an entry here; the apps that own the subjects need not know about threads."""

from django.apps import apps
from django.utils.translation import gettext as _

from juries.permissions import may_see_pack

SUBJECTS = {
    "evidence.evidenceitem": {
        "jury_id": lambda item: item.pack.jury_id,
        "title": lambda item: _("About the evidence: %(title)s") % {"title": item.title},
        "select": ["pack"],
        # Items of a pack not yet published are seen only by those who may see drafts.
        "visible": lambda item, access: may_see_pack(access, item.pack),
    },
    "juries.agendaitem": {
        "jury_id": lambda item: item.sitting.jury_id,
        "title": lambda item: (
            _("%(sitting)s: %(item)s") % {"sitting": item.sitting.title, "item": item.title}
        ),
        "select": ["sitting"],
        "visible": lambda item, access: True,
    },
    "voting.theme": {
        "jury_id": lambda theme: theme.jury_id,
        "title": lambda theme: _("Theme: %(title)s") % {"title": theme.title},
        "select": [],
        "visible": lambda theme, access: access.may["view_recommendations"],
    },
    "voting.recommendation": {
        "jury_id": lambda rec: rec.jury_id,
        "title": lambda rec: (
            _("Recommendation %(number)s: %(statement)s")
            % {"number": rec.number, "statement": rec.statement}
        ),
        "select": [],
        "visible": lambda rec, access: access.may["view_recommendations"],
    },
    # The oversight body's answer to a recommendation, which jurors discuss.
    "voting.response": {
        "jury_id": lambda response: response.recommendation.jury_id,
        "title": lambda response: (
            _("The answer to recommendation %(number)s")
            % {"number": response.recommendation.number}
        ),
        "select": ["recommendation"],
        "visible": lambda response, access: True,
    },
}


def find_subject(about, access):
    """The subject named by `about` ("app_label.model:pk"), with its thread title, if it is a
    known kind of subject, belongs to the jury and the person may see it; otherwise (None, None).
    """
    label, _sep, pk = (about or "").partition(":")
    spec = SUBJECTS.get(label)
    if spec is None or not pk.isdigit():
        return None, None
    model = apps.get_model(label)
    subject = model.objects.select_related(*spec["select"]).filter(pk=int(pk)).first()
    if subject is None or spec["jury_id"](subject) != access.jury.pk:
        return None, None
    if not spec["visible"](subject, access):
        return None, None
    return subject, spec["title"](subject)[:200]
