from .decisions import Ballot, Part, Participation, PriorityBallot, Vote, VoteResult, VoteState
from .dissent import Dissent, DissentSigner, SignOff, SignOffChoice
from .drafting import (
    Amendment,
    AmendmentState,
    AmendmentVote,
    Citation,
    Recommendation,
    RecommendationState,
    Revision,
    Theme,
)
from .reports import Report, ReportFile, ReportFileState, ReportFormat
from .responses import ProgressUpdate, ReminderSent, Response, ResponseRevision, ResponseStatus

__all__ = [
    "Amendment",
    "AmendmentState",
    "AmendmentVote",
    "Ballot",
    "Citation",
    "Dissent",
    "DissentSigner",
    "Part",
    "Participation",
    "PriorityBallot",
    "ProgressUpdate",
    "Recommendation",
    "RecommendationState",
    "ReminderSent",
    "Report",
    "ReportFile",
    "ReportFileState",
    "ReportFormat",
    "Response",
    "ResponseRevision",
    "ResponseStatus",
    "Revision",
    "SignOff",
    "SignOffChoice",
    "Theme",
    "Vote",
    "VoteResult",
    "VoteState",
]
