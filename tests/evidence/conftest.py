"""An evidence pack, and what the item form posts, for the evidence suites."""

import pytest
from django.utils import timezone

from evidence.models import EvidencePack

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def pack(jury):
    return EvidencePack.objects.create(
        jury=jury, title="How the score works", position=1, published_at=timezone.now()
    )


def item_data(**changes):
    data = {
        "title": "The supplier's account",
        "kind": "text",
        "provided_by": "Northgate Analytic Services",
        "standpoint": "operator",
        "summary": "How the model was built.",
        "body": "It learned from past checks.",
        "reading_minutes": "5",
        "visibility": "members",
        "position": "1",
    }
    data.update(changes)
    return data
