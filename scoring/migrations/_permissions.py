"""What the data migrations share: permissions made on the spot and granted to groups.

Django makes permissions after migrating; a migration that gives a role group the
permissions of models it has just created makes them first. (A module whose name starts
with "_" is not a migration.)
"""

from django.contrib.auth.management import create_permissions


def make_permissions(apps) -> None:
    """Create the permissions of every model known at this point of the migrations."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, group_name: str, codenames, app_label: str = "scoring") -> None:
    """Give ``group_name`` (when it exists) the permissions named ``codenames``."""
    group = apps.get_model("auth", "Group").objects.filter(name=group_name).first()
    if group is None:
        return
    permissions = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label=app_label, codename__in=list(codenames)
    )
    group.permissions.add(*permissions)
