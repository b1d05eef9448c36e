"""The demo's entry in the register: the fraud-risk scoring system its jury reviews. Written for
the demo; the department, supplier and figures are made up."""

from django.db import transaction

from .models import Capability, Function, OrganisationType, Phase, System, SystemStatus

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
