from django.db import migrations

from amtsweg.core.addresses import mailbox_key
from amtsweg.feedback.tokens import contact_hash


def rehash_email_entries(apps, schema_editor):
    """The entries by email whose contact data is still kept get the hash of their mailbox (core/addresses.py),
    so that another spelling of an address already entered (erika+1@…) is refused from now on. Where two
    entries turn out to be one mailbox, the first gets the new hash and the other keeps its old one: both stay
    entered."""
    RaffleEntry = apps.get_model("feedback", "RaffleEntry")
    taken = set(RaffleEntry.objects.values_list("campaign_id", "contact_hash"))
    entries = (
        RaffleEntry.objects.filter(contact_kind="email", contact_deleted_at__isnull=True)
        .exclude(email="")
        .select_related("campaign")
        .order_by("campaign_id", "code")
    )
    for entry in entries.iterator(chunk_size=2000):
        digest = contact_hash(campaign_uuid=str(entry.campaign.uuid), normalised="email:" + mailbox_key(entry.email))
        if digest == entry.contact_hash or (entry.campaign_id, digest) in taken:
            continue
        taken.add((entry.campaign_id, digest))
        RaffleEntry.objects.filter(pk=entry.pk).update(contact_hash=digest)


class Migration(migrations.Migration):

    dependencies = [
        ("feedback", "0003_portal_day_range"),
    ]

    operations = [
        migrations.RunPython(rehash_email_entries, migrations.RunPython.noop),
    ]
