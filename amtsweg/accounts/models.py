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

    class Meta(AbstractUser.Meta):
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
