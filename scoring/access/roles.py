"""The role groups, by their stable names.

The groups are created by a data migration with their permissions; code that asks
"is this person of the home-affairs office?" uses these names, never a literal.
"""

from django.utils.translation import gettext_lazy as _

STAFF_MEMBER = "Cán bộ, công chức, viên chức"
EVALUATOR = "Người đánh giá"
UNIT_HEAD = "Thủ trưởng đơn vị"
HOME_AFFAIRS = "Cơ quan tổ chức – nội vụ"
DESK_OFFICER = "Cán bộ bộ phận một cửa"

ROLE_LABELS = {
    STAFF_MEMBER: _("staff member"),
    EVALUATOR: _("evaluator"),
    UNIT_HEAD: _("unit head"),
    HOME_AFFAIRS: _("home-affairs office"),
    DESK_OFFICER: _("desk officer"),
}

ORGANISATION_MODELS = [
    "unitkind",
    "unit",
    "unitchange",
    "position",
    "staff",
    "assignment",
    "council",
    "evaluationrule",
    "evaluatoroverride",
]

# (group, [(app_label, codename), ...]); "access_admin" lets the person into Wagtail.
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    STAFF_MEMBER: [("wagtailadmin", "access_admin")],
    EVALUATOR: [("wagtailadmin", "access_admin"), ("scoring", "view_staff")],
    UNIT_HEAD: [
        ("wagtailadmin", "access_admin"),
        ("scoring", "view_staff"),
        ("scoring", "view_unit"),
    ],
    HOME_AFFAIRS: [("wagtailadmin", "access_admin")]
    + [
        ("scoring", f"{action}_{model}")
        for model in ORGANISATION_MODELS
        for action in ("add", "change", "delete", "view")
    ],
    DESK_OFFICER: [("wagtailadmin", "access_admin")],
}
