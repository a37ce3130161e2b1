"""How the Bürgerbüro's services hook into the back office (see ``amtsweg.cases.hooks``)."""

from typing import Any

from amtsweg.cases.hooks import case_hooks
from amtsweg.core.outbox import enqueue_after_commit


@case_hooks.on_open
def answer_simple_information(*, case: Any) -> None:
    """A simple Melderegisterauskunft is answered once its case opens, that is once the fee is paid.

    The register is asked by a task after the commit: a hook must not call outside parties. An extended
    request waits for staff to decide on its items.
    """
    from .services import information_is_request
    from .tasks import information_answer_task

    if not information_is_request(case=case) or case.submission.answers.get("kind") != "simple":
        return
    enqueue_after_commit(information_answer_task, lambda: information_answer_task.enqueue(case_uuid=str(case.uuid)))
