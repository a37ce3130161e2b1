"""The citizen account ("Mein Amtsweg"): one row per pseudonym and provider, no login secrets."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class CitizenAccount(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.CharField(_("identity provider"), max_length=40)
    # The provider's stable pseudonym (BundID bPK2, OIDC sub, a hash of the email address).
    subject = models.CharField(_("pseudonym"), max_length=255)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("citizen account")
        verbose_name_plural = _("citizen accounts")
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="citizen_account_pseudonym")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.uuid}"
