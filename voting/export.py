"""A person's part in the decisions, for the download of everything Deliberate holds about them.

Their own ballots are included: they are the one person entitled to see them."""

from .models import Amendment, Ballot, DissentSigner, Revision, SignOff


def decisions_of(user):
    return {
        "wordings": [
            {
                "jury": revision.recommendation.jury.title,
                "recommendation": revision.recommendation.number,
                "version": revision.number,
                "written": revision.created_at.isoformat(),
                "statement": revision.statement,
                "rationale": revision.rationale,
                "addressed_to": revision.addressed_to,
                "note": revision.note,
            }
            for revision in Revision.objects.filter(author=user).select_related(
                "recommendation__jury"
            )
        ],
        "amendments": [
            {
                "jury": amendment.recommendation.jury.title,
                "recommendation": amendment.recommendation.number,
                "proposed": amendment.created_at.isoformat(),
                "statement": amendment.statement,
                "reason": amendment.reason,
                "state": amendment.state,
            }
            for amendment in Amendment.objects.filter(proposed_by=user).select_related(
                "recommendation__jury"
            )
        ],
        "ballots": [
            {
                "jury": ballot.vote.jury.title,
                "recommendation": ballot.recommendation.number,
                "level": ballot.level,
                "reason": ballot.reason,
                "reason_published": ballot.publish_reason,
                "changed": ballot.changed_at.isoformat(),
            }
            for ballot in Ballot.objects.filter(juror=user).select_related(
                "vote__jury", "recommendation"
            )
        ],
        "dissent": [
            {
                "jury": signer.dissent.jury.title,
                "signed": signer.signed_at.isoformat(),
                "text": signer.dissent.text,
            }
            for signer in DissentSigner.objects.filter(juror=user).select_related("dissent__jury")
        ],
        "sign_off": [
            {"jury": sign.jury.title, "choice": sign.choice, "note": sign.note}
            for sign in SignOff.objects.filter(juror=user).select_related("jury")
        ],
    }
