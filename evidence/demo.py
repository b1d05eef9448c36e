"""The demo's entry in the register: the fraud-risk scoring system its jury reviews. Written for
the demo; the department, supplier and figures are made up."""

from django.db import transaction
from django.utils import timezone

from .models import (
    Capability,
    EvidenceItem,
    EvidenceItemVersion,
    EvidencePack,
    Function,
    GlossaryTerm,
    ItemVisibility,
    OrganisationType,
    Phase,
    System,
    SystemStatus,
)

SLUG = "housing-support-claim-risk-score"

SYSTEM = {
    "name": "Housing Support claim risk score",
    "purpose": (
        "To decide which new Housing Support claims get extra checks before the first payment, "
        "so that staff time goes to the claims most likely to be wrong, instead of checking "
        "claims at random."
    ),
    "status": SystemStatus.PROPOSED,
    "organisation": "Department for Work and Welfare",
    "organisation_type": OrganisationType.MINISTERIAL,
    "function": Function.SOCIAL,
    "capability": Capability.ANALYSIS,
    "task": "Scoring new benefit claims for the risk of error or fraud",
    "phase": Phase.PRE_DEPLOYMENT,
    "regions": "England and Wales",
    "atrs_version": "3.0",
    "description": (
        "When someone claims Housing Support, a computer model gives the claim a score from 0 to "
        "100. Claims with a high score are sent to a caseworker for extra checks, such as asking "
        "for bank statements or a tenancy agreement, before anything is paid. Claims with a low "
        "score are paid in the usual way."
    ),
    "website": "https://www.example.gov.uk/housing-support/risk-score",
    "contact_email": "risk-score@dww.example.gov.uk",
    "owner_organisation": "Department for Work and Welfare",
    "team": "Claims Integrity Analytics",
    "senior_responsible_owner": "Director of Counter-Fraud and Error",
    "third_parties": [
        {
            "name": "Northgate Analytic Services Ltd",
            "companies_house_number": "09999999",
            "role": "Built the model and hosts the scoring service",
            "procurement_procedure_type": "Call-off from a framework agreement",
            "data_access_terms": "Processes claim data under the department's instructions only",
        }
    ],
    "detailed_description": (
        "A gradient-boosted decision tree model trained on five years of past claims that were "
        "checked by caseworkers, labelled by whether the check found an overpayment."
    ),
    "scope": (
        "For choosing which new claims to check. Not for refusing a claim, setting the amount, or "
        "deciding that anyone has committed fraud."
    ),
    "benefit": "The department expects to find twice as many wrong claims with the same staff.",
    "previous_process": "About 1 in 20 claims were picked for checks at random.",
    "alternatives_considered": "More random checks; simple rules written by caseworkers.",
    "process_integration": "Scores are calculated overnight and high scores go to a checking queue.",
    "provided_information": "Caseworkers see the score band (low, medium, high), not the number.",
    "frequency_and_scale": "About 40,000 new claims a month.",
    "human_decisions": (
        "A caseworker decides what to check and the outcome. The score cannot stop a payment on "
        "its own."
    ),
    "required_training": "Half a day on what the score means and what it does not mean.",
    "appeals_and_review": "Claimants can ask for a review of any decision on their claim.",
    "system_architecture": "A scoring service inside the department's network, called nightly.",
    "maintenance": "Retrained every six months; accuracy and fairness checked every quarter.",
    "models_used": [
        {
            "name": "Claim risk model",
            "version": "0.9 (pilot)",
            "task": "Estimate the chance a claim has an error worth over £50 a month",
            "input": "Claim details, past claims, reported income",
            "output": "A score from 0 to 100",
            "architecture": "Gradient-boosted decision trees",
            "performance": "Finds 61% of wrong claims when checking the top 10% of scores (test data)",
            "datasets": "Checked claims 2019–2024",
            "dataset_purposes": "Training and testing",
        }
    ],
    "datasets": [
        {
            "name": "Checked claims 2019–2024",
            "modality": "Tabular",
            "description": "Claims picked for checks and what the checks found",
            "quantities": "310,000 claims",
            "sensitive_attributes": "Age, disability, nationality are not used as inputs",
            "completeness_and_representativeness": (
                "Only claims that were checked; past checks were not fully random"
            ),
            "source_url": "",
            "collection": "Case management system",
            "cleaning": "Duplicates and incomplete checks removed",
            "sharing_agreements": "None",
            "access_and_storage": "Department's secure analytics environment; kept 7 years",
        }
    ],
    "impact_assessments": [
        {
            "name": "Data protection impact assessment",
            "description": "Draft, to be finished before any pilot",
            "date": "2026-06-01",
            "link": "",
        },
        {
            "name": "Equality impact assessment",
            "description": "Draft; looks at score differences by age, sex and disability",
            "date": "2026-07-15",
            "link": "",
        },
    ],
    "risks": [
        {
            "name": "Some groups checked more often",
            "description": "If past checks targeted some groups, the model may learn to as well.",
            "mitigation": "Quarterly comparison of check rates by group, with a stop threshold.",
        },
        {
            "name": "Payments delayed for honest claimants",
            "description": "Extra checks can hold up the first payment for weeks.",
            "mitigation": "A target of 10 working days for checks; urgent cases fast-tracked.",
        },
    ],
    "ai_act_classification": "",
    "fria_summary": "",
    "dpia_summary": "Draft DPIA identifies automated profiling as the main risk.",
}


def seed_register(jury):
    """Put the demo system in the register and link it to the demo jury. Safe to run again."""
    with transaction.atomic():
        system, _ = System.objects.update_or_create(slug=SLUG, defaults=SYSTEM)
        system.juries.add(jury)
    return system


PACKS = [
    (
        "How the score works",
        "What the department wants to do, and how the computer model would make its score.",
        [
            (
                "The department's proposal",
                "commissioning",
                "Department for Work and Welfare",
                6,
                "The department wants to use a score to choose which new claims get extra checks. It "
                "says this will find more mistakes with the same number of staff.",
                "## Why we want to change\n\nToday about 1 in 20 new claims is checked, chosen at "
                "random. Most checks find nothing wrong, and many wrong claims are never checked.\n\n"
                "## What would change\n\n- Every new claim gets a score from 0 to 100 overnight.\n"
                "- Claims in the top tenth go to a caseworker for extra checks.\n- **The score never "
                "refuses a claim.** A person decides every case.",
            ),
            (
                "How the model was built",
                "operator",
                "Northgate Analytic Services Ltd",
                8,
                "The supplier explains what data trained the model, how accurate it was in tests, "
                "and what it cannot do.",
                "The model learned from 310,000 claims that caseworkers checked between 2019 and "
                "2024.\n\nIn tests, checking the top 10% of scores found **61%** of the claims that "
                "had a mistake worth more than £50 a month. Random checks of the same number of "
                "claims would find about 10%.\n\nThe model does not use age, sex, disability or "
                "nationality as inputs. Other information, such as postcode, can still be linked to "
                "them.",
            ),
            (
                "What the numbers do and do not show",
                "expert",
                "Dr Priya Natarajan, statistician",
                10,
                "An independent statistician looks at the supplier's figures and explains what "
                "they leave out.",
                "The 61% figure comes from claims that were already checked. Past checks were not "
                "fully random, so the test data may not look like all claims.\n\nWe also do not "
                "know how many honest claimants would be checked and have their payment delayed. "
                "That number matters as much as the number of mistakes found.",
            ),
        ],
    ),
    (
        "Who it affects",
        "What extra checks mean for the people who claim, and what the law says.",
        [
            (
                "What a delayed payment means",
                "lived_experience",
                "Three Housing Support claimants",
                7,
                "People who have had their claim checked describe what it was like.",
                "> “I had to find two years of bank statements. The rent was late and my landlord "
                "started talking about eviction.”\n\n> “Nobody told me why I was picked. I felt "
                "like I was being accused of something.”",
            ),
            (
                "Advice services' view",
                "civil_society",
                "Citizens Advice Riverside (made up)",
                6,
                "An advice charity describes the problems its clients have with checks and asks "
                "for safeguards.",
                "We ask for three safeguards: tell people their claim is being checked and why; "
                "pay an emergency amount during long checks; publish who gets checked, by group, "
                "every quarter.",
            ),
            (
                "Automated decisions and the law",
                "legal",
                "Public law barrister (written for the demo)",
                9,
                "A lawyer explains the rules on automated decisions, equality and fairness that "
                "apply to the proposal.",
                "Data protection law limits decisions based **solely** on automated processing. "
                "Because a caseworker decides each case, the department says this rule does not "
                "apply. Courts look at whether the human check is real or a rubber stamp.\n\nThe "
                "public sector equality duty means the department must consider the effect on "
                "people with protected characteristics **before** it decides.",
            ),
        ],
    ),
]


GLOSSARY = {
    "score": "A number from 0 to 100 that the computer gives each claim. A higher score means "
    "the model thinks a mistake in the claim is more likely.",
    "model": "The set of rules a computer learned from past examples, used to make the score.",
    "caseworker": "A member of the department's staff who looks at a claim and decides about it.",
    "public sector equality duty": "A law that makes public bodies think about the effect of "
    "their decisions on people with protected characteristics, such as age or disability.",
}


def seed_evidence(jury, facilitator):
    """Two packs with an item from every standpoint, and a glossary, once."""
    for term, definition in GLOSSARY.items():
        GlossaryTerm.objects.get_or_create(
            jury=jury, term=term, defaults={"definition": definition}
        )
    with transaction.atomic():
        for position, (title, introduction, items) in enumerate(PACKS, start=1):
            pack, created = EvidencePack.objects.get_or_create(
                jury=jury,
                title=title,
                defaults={
                    "introduction": introduction,
                    "position": position,
                    "published_at": timezone.now(),
                },
            )
            if not created:
                continue
            for number, (item_title, standpoint, who, minutes, summary, body) in enumerate(
                items, 1
            ):
                item = EvidenceItem.objects.create(
                    pack=pack,
                    position=number,
                    title=item_title,
                    standpoint=standpoint,
                    provided_by=who,
                    reading_minutes=minutes,
                    summary=summary,
                    body=body,
                    visibility=ItemVisibility.PUBLIC,
                )
                EvidenceItemVersion.objects.create(
                    item=item,
                    version=1,
                    title=item.title,
                    summary=summary,
                    body=body,
                    edited_by=facilitator,
                )


WITNESSES = [
    {
        "name": "Dr Priya Natarajan",
        "role": "Statistician at a university, who studies how public bodies use risk scores",
        "standpoint": "expert",
        "who_pays": "Her university. She receives no fee for this jury, only travel expenses.",
        "public_statements": (
            "Wrote a blog post in 2025 saying risk scores “can help, if they are tested on the "
            "right people and checked every year”."
        ),
        "statement": (
            "I was asked to look at how the model was tested. My main point is simple: a test "
            "is only as good as the claims it was tested on. I explain what that means for you "
            "in the pack **How the score works**."
        ),
    },
    {
        "name": "Mark Ellison",
        "role": "Head of data science at Northgate Analytic Services, the supplier",
        "standpoint": "operator",
        "who_pays": "Northgate Analytic Services, which is paid by the department to build the model.",
        "public_statements": "Presented the model at a government data conference in 2026.",
        "statement": "",
    },
]

QUESTIONS = [
    (
        "Aisha K.",
        "Dr Priya Natarajan",
        "If most past checks were not random, how do we know the model is fair to people who "
        "were rarely checked before?",
        "We don't know yet, and that is the honest answer. The department could run a small "
        "trial where some claims are still checked at random, and compare. I would ask for that "
        "before any wider use.",
        ["Brian", "Farhan", "Grace O."],
    ),
    (
        "Marek",
        None,
        "How long does an extra check usually take, and is the first payment held until it ends?",
        "",
        ["Chloe W."],
    ),
]


def seed_questions(jury):
    """Witness profiles and a few questions, one answered, once."""
    from juries.models import Role, User

    from .models import Question, QuestionState, Support, Witness

    if jury.witnesses.exists():
        return
    witness_user = User.objects.filter(
        memberships__jury=jury, memberships__role=Role.WITNESS
    ).first()
    with transaction.atomic():
        profiles = {}
        for fields in WITNESSES:
            user = (
                witness_user
                if fields["name"] == getattr(witness_user, "display_name", "")
                else None
            )
            profiles[fields["name"]] = Witness.objects.create(jury=jury, user=user, **fields)
        people = {u.display_name: u for u in User.objects.filter(memberships__jury=jury)}
        for asker, witness, text, answer, supporters in QUESTIONS:
            question = Question.objects.create(
                jury=jury, asked_by=people.get(asker), witness=profiles.get(witness), text=text
            )
            if answer:
                question.answer, question.state = answer, QuestionState.ANSWERED
                question.answered_by, question.answered_at = witness_user, timezone.now()
                question.save()
            Support.objects.bulk_create(
                [
                    Support(question=question, user=people[name])
                    for name in supporters
                    if name in people
                ]
            )
