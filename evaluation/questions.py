"""The questions the questionnaires ask, written in our own words.

The members' questions follow the themes of the member questionnaire in the OECD's *Evaluation
Guidelines for Representative Deliberative Processes* (2021): understanding of the remit, quality
of information, balance of information, being heard, respect among members, facilitator
neutrality and influence. The organisers' questions follow its process themes: recruitment, time,
resources and independence. Every question is a statement answered on the same five-point
agreement scale, with "prefer not to say"; the organiser questionnaire adds a free-text comment.

A question's `key` is what the stored answers and the download use: it never changes once answers
exist. A jury's own topic statements are asked in the start and end questionnaires under the keys
`topic-<id>`, so the change of opinion is the distribution before against the distribution after.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


class Scale:
    STRONGLY_AGREE = "strongly_agree"
    AGREE = "agree"
    NEITHER = "neither"
    DISAGREE = "disagree"
    STRONGLY_DISAGREE = "strongly_disagree"
    PREFER_NOT = "prefer_not_to_say"


# In the order a person reads them, and the order of a chart's segments.
SCALE = [
    (Scale.STRONGLY_AGREE, _("Strongly agree")),
    (Scale.AGREE, _("Agree")),
    (Scale.NEITHER, _("Neither agree nor disagree")),
    (Scale.DISAGREE, _("Disagree")),
    (Scale.STRONGLY_DISAGREE, _("Strongly disagree")),
    (Scale.PREFER_NOT, _("Prefer not to say")),
]
SCALE_VALUES = [value for value, _label in SCALE]


@dataclass(frozen=True)
class Question:
    key: str
    theme: str
    text: str


REMIT = _("Understanding of the question")
INFORMATION = _("Quality of information")
BALANCE = _("Balance of information")
HEARD = _("Being heard")
RESPECT = _("Respect")
NEUTRALITY = _("Neutral facilitation")
INFLUENCE = _("Influence")

START = [
    Question("remit", REMIT, _("I understand the question the jury has been asked to answer.")),
    Question(
        "influence",
        INFLUENCE,
        _("I expect the people who set up this jury to act on what it recommends."),
    ),
]

END = [
    Question("remit", REMIT, _("I understood the question the jury was asked to answer.")),
    Question(
        "information",
        INFORMATION,
        _("The information we were given was clear and good enough to decide on."),
    ),
    Question(
        "balance",
        BALANCE,
        _("We heard a fair range of views, not only one side of the argument."),
    ),
    Question("heard", HEARD, _("I had enough chances to say what I thought.")),
    Question(
        "respect", RESPECT, _("Members treated each other with respect, even when they disagreed.")
    ),
    Question(
        "neutrality",
        NEUTRALITY,
        _("The facilitators did not push the jury towards any particular answer."),
    ),
    Question(
        "influence",
        INFLUENCE,
        _("I expect the people who set up this jury to act on what it recommends."),
    ),
]

SITTING = [
    Question("information", INFORMATION, _("What we learned in this sitting was clear.")),
    Question("heard", HEARD, _("I had enough chances to say what I thought in this sitting.")),
    Question("respect", RESPECT, _("Members treated each other with respect in this sitting.")),
    Question(
        "neutrality",
        NEUTRALITY,
        _("The facilitators did not push us towards any particular answer in this sitting."),
    ),
]

ORGANISER = [
    Question(
        "recruitment",
        _("Recruitment"),
        _("The way jurors were chosen gave a fair picture of the people affected."),
    ),
    Question("time", _("Time"), _("The jury had enough time to learn, talk and decide.")),
    Question(
        "resources",
        _("Resources"),
        _("We had the money, people and tools needed to run the jury well."),
    ),
    Question(
        "independence",
        _("Independence"),
        _("Nobody outside the jury tried to steer its recommendations."),
    ),
]

# The organisers' free-text comment: in the download, never on a results page.
COMMENT = "comment"
