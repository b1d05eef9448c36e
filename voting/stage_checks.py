"""Stage moves the decisions forbid, checked by `juries.stages.change_stage`."""

from django.utils.translation import gettext as _

from juries.models import Stage

from .models import Report, Vote, VoteState


def refuse_stage_change(jury, from_stage, to_stage):
    """A message refusing the move, or "".

    - An open vote keeps the jury at the decision stage: moving on would leave ballots that
      nobody could cast or count. The report needs the vote closed, and its last round final.
    - The response stage begins when the report is published (publishing moves the jury), and
      a published report is never taken back: corrections are new versions.
    """
    votes = Vote.objects.filter(jury=jury)
    if from_stage == Stage.DECISION and votes.filter(state=VoteState.OPEN).exists():
        return _("The vote is still open. Close the vote before moving the jury on or back.")
    moving_to_report = from_stage == Stage.DECISION and to_stage == Stage.REPORT
    closed = votes.filter(state=VoteState.CLOSED).order_by("-round").first()
    if moving_to_report and closed is None:
        return _("The jury has not voted yet. Open the vote, and close it, first.")
    if moving_to_report and closed.indicative:
        return _(
            "The last vote was indicative. Hold the final vote before moving on to the report."
        )
    if moving_to_report and closed.ranking and closed.ranking_closed_at is None:
        return _(
            "The jurors are to rank the adopted recommendations. Open the ranking, and close "
            "it, before moving on."
        )
    published = Report.objects.filter(jury=jury).exists()
    if to_stage == Stage.RESPONSE and not published:
        return _("Publish the report: publishing it moves the jury to the response stage.")
    if from_stage == Stage.RESPONSE and published:
        return _(
            "The report is published, so the jury stays at the response stage. If something "
            "in it must change, publish a correction."
        )
    return ""
