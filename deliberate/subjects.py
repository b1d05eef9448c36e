"""What a thread can be about. Each kind of subject names how to find its jury and its title, so
a thread about it is only ever opened from its own jury.

The subjects of the apps deliberation builds on (evidence items, agenda items) are registered
here; an app built on deliberation registers its own in its AppConfig.ready() (voting: themes,
recommendations and the answers to them), so deliberation never names it.
"""

from django.apps import apps
from django.utils.translation import gettext as _

from juries.permissions import may_see_pack

# "app_label.model" -> {"jury_id": f(subject), "title": f(subject), "select": [related fields],
# "visible": f(subject, access)}
SUBJECTS = {}


def register(label, *, jury_id, title, select=(), visible=lambda subject, access: True):
    """Let threads be about `label`'s objects: `jury_id(subject)` is the jury it belongs to,
    `title(subject)` the thread's title, `select` the relations to fetch with it, and
    `visible(subject, access)` whether the person may see it."""
    SUBJECTS[label] = {
        "jury_id": jury_id,
        "title": title,
        "select": list(select),
        "visible": visible,
    }


register(
    "evidence.evidenceitem",
    jury_id=lambda item: item.pack.jury_id,
    title=lambda item: _("About the evidence: %(title)s") % {"title": item.title},
    select=["pack"],
    # Items of a pack not yet published are seen only by those who may see drafts.
    visible=lambda item, access: may_see_pack(access, item.pack),
)
register(
    "juries.agendaitem",
    jury_id=lambda item: item.sitting.jury_id,
    title=lambda item: (
        _("%(sitting)s: %(item)s") % {"sitting": item.sitting.title, "item": item.title}
    ),
    select=["sitting"],
)


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
