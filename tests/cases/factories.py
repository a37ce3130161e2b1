import datetime

import factory

from amtsweg.applications.models import FormVersion
from amtsweg.cases.models import Case, ProcessingRule
from tests.applications.factories import FormVersionFactory, SubmissionFactory
from tests.catalogue.factories import ServiceFactory


def form_version_for(service):  # type: ignore[no-untyped-def]
    """The service's form version, made once: several submissions can share it."""
    return FormVersion.objects.filter(service=service).first() or FormVersionFactory(service=service)


class CaseFactory(factory.django.DjangoModelFactory):
    """A case with its submission, in the submission's service and department.

    ``CaseFactory.for_service(s)`` makes the submission for ``s`` as well.
    """

    class Meta:
        model = Case

    submission = factory.SubFactory(SubmissionFactory)
    reference = factory.SelfAttribute("submission.reference")
    service = factory.SelfAttribute("submission.service")
    department = factory.SelfAttribute("submission.service.department")
    applicant_name = factory.SelfAttribute("submission.applicant_name")

    @classmethod
    def for_service(cls, service, **kwargs):  # type: ignore[no-untyped-def]
        """A case (and submission) of ``service``, sharing the service's one form version."""
        return cls(submission__form_version=form_version_for(service), **kwargs)


class ProcessingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessingRule

    service = factory.SubFactory(ServiceFactory)
    valid_from = datetime.date(2020, 1, 1)
    deadline_days = 10
    working_days = True
    extra_states = factory.LazyFunction(list)
