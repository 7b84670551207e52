from scoring.migrations._permissions import make_permissions
from django.db import migrations

UNIT_KINDS = [
    ("province", "Tỉnh, thành phố"),
    ("district", "Huyện, thị xã (cấp huyện cũ)"),
    ("commune", "Xã, thị trấn"),
    ("ward", "Phường"),
    ("special-zone", "Đặc khu"),
    ("people-committee", "Ủy ban nhân dân"),
    ("agency", "Cơ quan chuyên môn"),
    ("party-committee", "Cấp ủy Đảng"),
    ("fatherland-front", "Mặt trận Tổ quốc"),
    ("mass-organisation", "Tổ chức chính trị – xã hội (đoàn thể)"),
    ("public-service-unit", "Đơn vị sự nghiệp công lập"),
    ("service-centre", "Trung tâm Phục vụ hành chính công"),
]


def create_kinds_and_roles(apps, schema_editor):
    """Ship the standard unit kinds and the five role groups with their permissions."""
    from scoring.access.roles import ROLE_PERMISSIONS

    UnitKind = apps.get_model("scoring", "UnitKind")
    for code, name in UNIT_KINDS:
        UnitKind.objects.get_or_create(code=code, defaults={"name": name})

    make_permissions(apps)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, permissions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, codename in permissions:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_kinds_and_roles, migrations.RunPython.noop)]
