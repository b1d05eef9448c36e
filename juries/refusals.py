"""Refusals: a service saying no, in words the person can read.

A service that will not do what was asked raises a subclass of `Refused` whose message is written
for the person and is safe to show as it is (it names nobody the person may not know about). Views
catch `Refused`, never each service's own kind, and show it with one of the helpers here: on the
next page as an error message (`show`, before a redirect), or on the form being sent back
(`on_form`). A refusal that carries more than its message (a quota problem per row, the answer
someone else saved meanwhile) is caught by its own kind first, where that extra is used.

`Refused` is a ValueError, as every refusal was before it existed, so code that catches
ValueError still does. The pure algorithms in `juries.selection` raise their own exceptions: they
know nothing of people or pages.
"""

from django.contrib import messages


class Refused(ValueError):
    """A service refused; `str(error)` is the message for the person."""


def show(request, error, level=messages.ERROR):
    """Say the refusal `error` on the next page the person sees (a Django message, error by
    default)."""
    messages.add_message(request, level, str(error))


def on_form(form, error, field=None):
    """Show the refusal `error` on `form`: beside `field`, or above the form when None."""
    form.add_error(field, str(error))
