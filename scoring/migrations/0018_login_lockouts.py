from django.db import migrations


def grant_office(apps, schema_editor):
    """The office lists the locked sign-ins and unlocks them."""
    from scoring.access.roles import HOME_AFFAIRS
    from scoring.migrations._permissions import grant, make_permissions

    make_permissions(apps)
    grant(apps, HOME_AFFAIRS, ["view_accessattempt", "delete_accessattempt"], app_label="axes")


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0017_releases"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant_office, migrations.RunPython.noop)]
