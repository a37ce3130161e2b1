# The model moved here from the payments app (payments 0002). Its table stays where it is:
# this migration only adds the model to this app's state; payments 0001 created the table.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('payments', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DemoProviderTransaction',
                    fields=[
                        ('id', models.CharField(max_length=40, primary_key=True, serialize=False)),
                        ('merchant_reference', models.CharField(max_length=100)),
                        ('amount_cents', models.PositiveIntegerField()),
                        ('currency', models.CharField(max_length=3)),
                        ('purpose', models.CharField(max_length=200)),
                        ('method', models.CharField(blank=True, max_length=40)),
                        ('status', models.CharField(default='pending', max_length=20)),
                        ('outcome', models.CharField(blank=True, max_length=20)),
                        ('settle_at', models.DateTimeField(blank=True, null=True)),
                        ('refunded_cents', models.PositiveIntegerField(default=0)),
                        ('return_url', models.URLField(max_length=1000)),
                        ('cancel_url', models.URLField(max_length=1000)),
                        ('notify_url', models.URLField(max_length=1000)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'db_table': 'payments_demoprovidertransaction',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
