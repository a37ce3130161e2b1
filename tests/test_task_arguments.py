"""No secret and no personal data go into a background task's arguments: a task loads what it needs by id.

The database task queue keeps every task's arguments in a table (for two weeks once finished), and
other backends keep them in Redis; the arguments are ids and short codes only.
"""

import ast
import json
from pathlib import Path

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from amtsweg.applications.access import status_access_code
from amtsweg.applications.models import Submission
from amtsweg.cases.constants import CaseStatus
from amtsweg.cases.models import Case
from amtsweg.cases.services import case_message_send, case_transition
from tests.accounts.factories import StaffFactory
from tests.payments.test_flow import fill_meldebescheinigung, submit

ROOT = Path(__file__).resolve().parents[1]

# Parameters of a task that are not an id: the demo payment provider's outcome ("paid", "failed", ...), the
# number of the attempt of an answer whose register was down.
NOT_AN_ID = {"demo_notification_send": {"status"}, "information_answer_task": {"attempt"}}


def _tasks() -> list[tuple[str, list[str]]]:
    """Every function in amtsweg/ decorated with ``@task`` or ``@task(...)``, with its parameter names."""
    found = []
    for path in (ROOT / "amtsweg").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                if name == "task":
                    arguments = node.args
                    names = [a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)]
                    found.append((node.name, [n for n in names if n != "context"]))
    return found


def test_every_task_takes_only_ids():
    tasks = _tasks()
    assert len(tasks) >= 6  # the email, the demo provider's notification and the periodic jobs
    offenders = {
        name: [p for p in parameters if not p.endswith(("_id", "_uuid")) and p not in NOT_AN_ID.get(name, set())]
        for name, parameters in tasks
    }
    assert {name: params for name, params in offenders.items() if params} == {}


@pytest.fixture
def private_media(settings, tmp_path, demo_register):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.mark.django_db(transaction=True)
def test_no_task_of_a_whole_submission_and_payment_journey_carries_personal_data(
    client, forms, run_tasks, private_media
):
    # The citizen logs in with the eID, orders a Meldebescheinigung on paper for herself (chosen from the
    # residents' register), submits it and pays.
    fill_meldebescheinigung(client)
    pay_url = submit(client)["Location"]
    demo_url = client.post(pay_url, {"method": "card"})["Location"]
    confirmation = client.get(client.post(demo_url, {"outcome": "paid"})["Location"])
    assert confirmation.status_code == 302
    assert client.get(confirmation["Location"]).status_code == 200
    submission = Submission.objects.get()
    access_code = status_access_code(session=client.session, submission_uuid=submission.uuid)
    assert access_code
    run_tasks()
    # Staff write to the citizen and finish the case.
    staff = StaffFactory(departments=[submission.service.department])
    case = Case.objects.get()
    case_message_send(case=case, actor=staff, text="Bitte bringen Sie Ihren Ausweis mit.")
    case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=staff)
    run_tasks()

    assert {m.to[0] for m in mail.outbox} >= {"erika@example.org"}
    assert any(access_code in m.body for m in mail.outbox)  # the secret did reach the citizen, by email
    personal = {
        "erika@example.org",
        access_code,
        access_code.replace("-", ""),
        "Erika",
        "Mustermann",
        "P-0001",  # her key in the residents' register
        "Friedrich-Ebert-Straße",
        "1984-08-12",
        "12.08.1984",
        submission.reference,
        "Ausweis",
    }
    rows = list(DBTaskResult.objects.all())
    assert {row.task_path.rsplit(".", 1)[-1] for row in rows} >= {"notification_send", "demo_notification_send"}
    for row in rows:
        stored = json.dumps([row.args_kwargs, row.return_value], ensure_ascii=False)
        assert "@" not in stored, row.task_path
        assert [value for value in personal if value.lower() in stored.lower()] == [], row.task_path
