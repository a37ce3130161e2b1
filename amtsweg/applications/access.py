"""Which submissions this browser may see: the one owner of that rule.

A session is granted a submission when the citizen submits it, enters its
reference number and access code, follows its status link, logs in as the
person who made it, or opens "Mein Amtsweg". The grant opens the submission's
status pages, its files and its payment, for ``STATUS_ACCESS_MINUTES`` (a
shared computer does not keep it for the session cookie's two weeks), or, for
a logged-in citizen's own applications, as long as the login lasts. The
access code of a submission made in this session is remembered with its grant,
so that the confirmation page can show it, and goes with it.

Every grant ends when the person at the browser changes: logging out ends the
whole session, and a login or an expired login ends the grants
(``status_access_end``, called by ``identity.services``). Nothing else reads or
writes the session key.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    import uuid

    from django.contrib.sessions.backends.base import SessionBase

    from .models import Submission

# {submission uuid: {"at": seconds since the epoch, "code": the access code, if made in this session}}
SESSION_KEY = "status_access"


def _grants(session: SessionBase) -> dict[str, dict]:
    kept = session.get(SESSION_KEY)
    if not isinstance(kept, dict):  # nothing granted yet, or a session from before grants expired
        return {}
    oldest = time.time() - settings.STATUS_ACCESS_MINUTES * 60
    return {key: grant for key, grant in kept.items() if grant.get("login") or float(grant.get("at", 0)) >= oldest}


def status_access_grant(
    *, session: SessionBase, submission: Submission, access_code: str = "", for_login: bool = False
) -> None:
    """Let this browser session see ``submission`` for the next ``STATUS_ACCESS_MINUTES``, or, ``for_login``,
    as long as the citizen stays logged in (the grant ends with the login: ``status_access_end``).

    ``access_code`` is given only when the submission is made: the confirmation page shows it.
    """
    grants = _grants(session)
    key = str(submission.uuid)
    earlier = grants.get(key, {})
    grant: dict[str, float | str | bool] = {"at": time.time()}
    code = access_code or earlier.get("code", "")
    if code:
        grant["code"] = code
    if for_login or earlier.get("login"):
        grant["login"] = True
    grants[key] = grant
    session[SESSION_KEY] = grants


def status_access_has(*, session: SessionBase, submission_uuid: uuid.UUID | str) -> bool:
    """Whether this browser session may see the submission with this uuid.

    Takes the uuid, not the submission, so that a page can refuse before it reads the submission.
    """
    return str(submission_uuid) in _grants(session)


def status_access_code(*, session: SessionBase, submission_uuid: uuid.UUID | str) -> str:
    """The access code of a submission made in this session while its grant lasts; else ""."""
    return str(_grants(session).get(str(submission_uuid), {}).get("code", ""))


def status_access_any(*, session: SessionBase) -> bool:
    """Whether this session may see any submission (then it offers to end the session)."""
    return bool(_grants(session))


def status_access_end(*, session: SessionBase) -> None:
    """End every grant and forget every remembered access code."""
    session.pop(SESSION_KEY, None)
