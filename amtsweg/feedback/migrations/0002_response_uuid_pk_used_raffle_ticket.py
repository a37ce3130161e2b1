"""Responses get their random UUID as primary key (no integer sequence to pair them by); raffle tickets are
remembered in a table of their own; a campaign flag for footer responses in the raffle.

The responses are copied into a new table in the order of their random UUID, so the physical order of the
copied rows no longer follows the order in which they came in.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def copy_responses(apps, schema_editor):
    Old = apps.get_model("feedback", "Response")
    New = apps.get_model("feedback", "ResponseKeyed")
    for old in Old.objects.order_by("uuid").prefetch_related("tags"):
        new = New.objects.create(
            uuid=old.uuid,
            campaign_id=old.campaign_id,
            service_id=old.service_id,
            channel=old.channel,
            submitted_on=old.submitted_on,
            satisfaction=old.satisfaction,
            idea=old.idea,
            answers=old.answers,
            implemented=old.implemented,
        )
        new.tags.set(old.tags.all())


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_fee_rules_revenue_account"),
        ("feedback", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ResponseKeyed",
            fields=[
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("channel", models.CharField(choices=[("online", "Online application"), ("counter", "At the counter"), ("portal", "General link (footer)")], max_length=20, verbose_name="channel")),
                ("submitted_on", models.DateField(db_index=True, verbose_name="day")),
                ("satisfaction", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="satisfaction")),
                ("idea", models.TextField(blank=True, verbose_name="improvement idea")),
                ("answers", models.JSONField(default=dict, verbose_name="answers")),
                ("implemented", models.BooleanField(default=False, verbose_name="implemented")),
                ("campaign", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="feedback.campaign")),
                ("service", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="catalogue.service")),
                ("tags", models.ManyToManyField(blank=True, related_name="+", to="feedback.ideatag", verbose_name="tags")),
            ],
        ),
        migrations.RunPython(copy_responses, migrations.RunPython.noop),
        migrations.DeleteModel(name="Response"),
        migrations.RenameModel(old_name="ResponseKeyed", new_name="Response"),
        migrations.AlterField(
            model_name="response",
            name="campaign",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="responses", to="feedback.campaign"),
        ),
        migrations.AlterField(
            model_name="response",
            name="tags",
            field=models.ManyToManyField(blank=True, related_name="responses", to="feedback.ideatag", verbose_name="tags"),
        ),
        migrations.AlterModelOptions(
            name="response",
            options={
                "ordering": ["-submitted_on", "uuid"],
                "permissions": [
                    ("view_results", "Can see the survey results of their departments' services"),
                    ("view_all_results", "Can see the survey results of all services (leadership)"),
                    ("tag_ideas", "Can tag improvement ideas and mark them as implemented"),
                    ("manage_raffle", "Can see raffle winners and mark prizes as handed over"),
                ],
                "verbose_name": "survey response",
                "verbose_name_plural": "survey responses",
            },
        ),
        migrations.CreateModel(
            name="UsedRaffleTicket",
            fields=[("digest", models.CharField(max_length=64, primary_key=True, serialize=False))],
            options={"verbose_name": "used raffle ticket", "verbose_name_plural": "used raffle tickets"},
        ),
        migrations.AlterModelOptions(
            name="usedtoken",
            options={"verbose_name": "used link", "verbose_name_plural": "used links"},
        ),
        migrations.AddField(
            model_name="campaign",
            name="raffle_footer_responses",
            field=models.BooleanField(default=False, help_text="Off: only responses through an application's one-time link get a raffle ticket, so that nobody can enter the raffle many times by answering the general survey again and again.", verbose_name="responses through the general link (footer) may take part"),
        ),
    ]
