"""How long the text people write may be: every limit on long text, in one place.

A limit keeps one request, one row and one rendering of Markdown small enough that nobody can
tie up the server or the database by pasting a book, while every real text still fits. Counted
in characters, as forms count them:

- SHORT (2,000, about 300 words): a note or a question. A juror's question to a witness, access
  needs, a recommendation's statement, a summary, a glossary definition, a description, a reason
  given with a ballot or a correction.
- LONG (10,000, about 1,500 words, four or five printed pages): a message or an argued text.
  Posts, witnesses' answers, a recommendation's rationale, a statement of dissent, the oversight
  body's reasons and progress updates, the remit, each field of a register entry. Forms already
  used this size for posts, answers and rationales.
- DOCUMENT (200,000, about 30,000 words): what is read rather than written here. An evidence
  item's text or transcript and a witness statement. A 60-page report or a two-hour hearing's
  transcript is 120,000 to 150,000 characters, so a real document fits with room to spare.
- IMPORTED_RECORD (1 MB): a transparency record as it was imported, kept as it came; the import
  refuses larger files before reading them.

Short single-line fields (names, titles, notes of 300 characters) keep their own max_length on
their CharField. The rendering benchmark (tests/bench/test_text_bench.py) renders the largest
text of each kind.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext, ngettext_lazy

SHORT = 2_000
LONG = 10_000
DOCUMENT = 200_000
IMPORTED_RECORD = 1024 * 1024

# The wording of every length check, forms included (juries.apps puts it on Django's validator).
TOO_LONG = ngettext_lazy(
    "This is too long: at most %(limit_value)d character (it has %(show_value)d).",
    "This is too long: at most %(limit_value)d characters (it has %(show_value)d).",
    "limit_value",
)


def too_long(text, limit, *, subject=None):
    """The message saying `text` is longer than `limit`, or None when it fits. `subject` names
    the field where no form shows the message beside it ("The access needs")."""
    length = len(text or "")
    if length <= limit:
        return None
    if subject is None:
        return TOO_LONG % {"limit_value": limit, "show_value": length}
    return ngettext(
        "%(subject)s is too long: at most %(limit)d character (it has %(length)d).",
        "%(subject)s is too long: at most %(limit)d characters (it has %(length)d).",
        limit,
    ) % {"subject": subject, "limit": limit, "length": length}


def check(text, limit, *, error=ValidationError, subject=None):
    """Raise `error` (a service's own refusal) with the plain message when `text` is too long."""
    message = too_long(text, limit, subject=subject)
    if message:
        raise error(message)
