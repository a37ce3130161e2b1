"""The provisional proof of registration (vorläufiger Zulassungsnachweis, § 32 FZV): a sealed PDF.

A placeholder until the proof's own commit fills it in.
"""

from __future__ import annotations

from typing import Any


def provisional_proof_issue(*, application: Any) -> Any:
    """Issue the provisional proof for an approved application and link it (``application.proof``).

    Called by ``services.vehicle_decision_record`` for every approval, inside its transaction with the
    application's row locked (``application`` is that locked row, already saved as approved with its number,
    plate, ``decided_at`` and ``valid_until``). It must be idempotent (an application is approved once, but a
    proof that exists is kept) and make no outside call. A deregistration has no provisional proof.
    Returns the proof's document, or None: nothing is issued yet.
    """
    return None
