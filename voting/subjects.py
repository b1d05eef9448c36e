"""What of voting a thread can be about: themes, recommendations, and the oversight body's
answers to them. Registered with deliberation's subjects (`deliberate.subjects.register`) in
VotingConfig.ready(), so deliberation never names voting's models."""

from django.utils.translation import gettext as _

THREAD_SUBJECTS = {
    "voting.theme": {
        "jury_id": lambda theme: theme.jury_id,
        "title": lambda theme: _("Theme: %(title)s") % {"title": theme.title},
        "visible": lambda theme, access: access.may["view_recommendations"],
    },
    "voting.recommendation": {
        "jury_id": lambda rec: rec.jury_id,
        "title": lambda rec: (
            _("Recommendation %(number)s: %(statement)s")
            % {"number": rec.number, "statement": rec.statement}
        ),
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
    },
}
