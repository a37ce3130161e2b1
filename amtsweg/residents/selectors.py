"""Reads of the Bürgerbüro's services: what the register and the portal say about a citizen's blockings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from .models import WeddingObjection
from .objections import OBJECTIONS, Objection
from .register import fields
from .services import register_blocks_read


@dataclass(frozen=True)
class ObjectionsState:
    in_force: tuple[Objection, ...]  # in the order of the page
    open: tuple[Objection, ...]  # the ones the citizen can still file
    wedding_waits: bool  # the citizen's wedding objection waits for the spouse
    spouse_waits: WeddingObjection | None  # the spouse's wedding objection waits for this citizen


def transfer_objections_state(*, person_id: str, account: Any, purpose: str) -> ObjectionsState:
    """The citizen's objections as the register stores them (an audited read), and the wedding objections the
    portal holds until both spouses declared theirs."""
    stored = {block.kind for block in register_blocks_read(person_id=person_id, purpose=purpose, account=account)}
    live = WeddingObjection.objects.filter(expires_at__gt=timezone.now())
    own = live.filter(person_id=person_id).exists()
    spouse = live.filter(spouse_person_id=person_id).first()
    return ObjectionsState(
        in_force=tuple(objection for objection in OBJECTIONS if objection.kind in stored),
        open=tuple(
            objection
            for objection in OBJECTIONS
            if objection.kind not in stored and not (own and objection.kind == fields.WEDDING_ANNIVERSARIES)
        ),
        wedding_waits=own,
        spouse_waits=spouse,
    )
