# DemoProviderTransaction moved to the demo provider's own app (payments_demo 0001), which
# keeps its table: this migration only removes the model from this app's state.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0001_initial'),
        ('payments_demo', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='DemoProviderTransaction',
                ),
            ],
            database_operations=[],
        ),
    ]
