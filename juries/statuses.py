"""What a state means to the person reading it, so every page shows it the same way.

A status tag (`templates/components/status_tag.html`) always shows the state's words; its colour
says what kind of state it is, and only adds to the words:

- done (green): accepted, adopted, answered, done, read
- pending (amber): partly, pending, waiting, updated, new
- problem (red): not accepted, overdue, refused
- active (blue): running, now, live, open
- inactive (grey): closed, draft, withdrawn, muted

Each model's states are given their meaning once, by the app that owns the model, with
`register(Model, "field", {...})` beside the model. Templates ask `{% status_tag obj "field" %}`
(juries/templatetags/ui.py); a state that is not a model field (a draft pack, an overdue answer)
names its meaning in the template, from the five above.
"""

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured

DONE = "done"
PENDING = "pending"
PROBLEM = "problem"
ACTIVE = "active"
INACTIVE = "inactive"

MEANINGS = (DONE, PENDING, PROBLEM, ACTIVE, INACTIVE)

_REGISTRY: dict[tuple[str, str], dict[str, str]] = {}
_LABELS: dict[tuple[str, str], dict[str, str]] = {}


def register(model, field_name, meanings):
    """Give each state of `model.field_name` its meaning: a field with choices, or a property
    whose value is one of the `TextChoices` that `meanings` is keyed by.

    Every choice must have one, so a state added later cannot be shown without a meaning.
    """
    try:
        choices = model._meta.get_field(field_name).choices
    except FieldDoesNotExist:
        choices = type(next(iter(meanings))).choices
    labels = {str(value): label for value, label in choices}
    given = {str(value): meaning for value, meaning in meanings.items()}
    if set(given) != set(labels) or not set(given.values()) <= set(MEANINGS):
        raise ImproperlyConfigured(
            f"{model._meta.label}.{field_name}: give each of {sorted(labels)} one of {MEANINGS}"
        )
    _REGISTRY[(model._meta.label_lower, field_name)] = given
    _LABELS[(model._meta.label_lower, field_name)] = labels


def meaning_of(obj, field_name):
    """The meaning of `obj`'s state in `field_name`, as registered for its model."""
    meanings = _REGISTRY.get((obj._meta.label_lower, field_name))
    if meanings is None:
        raise ImproperlyConfigured(
            f"{obj._meta.label}.{field_name} has no meanings: see juries.statuses.register"
        )
    return meanings[str(getattr(obj, field_name))]


def words_of(obj, field_name):
    """The words of `obj`'s state in `field_name`: its choice's label."""
    display = getattr(obj, f"get_{field_name}_display", None)
    return display() if display else getattr(obj, field_name).label


def registered():
    """Every registered (model label, field name), with each of its states' words and meaning,
    in the order of the choices: for the pattern library."""
    return {
        key: [(labels[value], meanings[value]) for value in labels]
        for key, meanings in _REGISTRY.items()
        for labels in [_LABELS[key]]
    }
