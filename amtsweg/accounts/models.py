from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff member. Citizens are not users of this table (see the identity module).

    ``departments`` decides what a staff member may see and edit: the catalogue
    entries and, later, the cases of these departments only.
    """

    departments = models.ManyToManyField(
        "catalogue.Department",
        verbose_name=_("departments"),
        blank=True,
        related_name="staff",
    )

    # django-stubs types AbstractUser.Meta's names as str; Django takes lazy strings there.
    class Meta(AbstractUser.Meta):
        verbose_name = _("staff member")  # type: ignore[assignment]
        verbose_name_plural = _("staff members")  # type: ignore[assignment]
