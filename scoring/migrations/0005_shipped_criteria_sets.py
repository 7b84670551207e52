"""Ship the criteria sets and the work-product catalogue as data.

- ``dia-phuong-2019``: a local monthly sheet of the 2019 kind (Quản Bạ practice, Hà Nội
  3814-QĐ/TU): discipline and ethics, task results, bonus and deductions on 100 points.
- ``nd335`` and ``nd335-lanh-dao``: Decree 335/2025/NĐ-CP from January 2026: 30 general
  points and 70 task-result points; leaders give 20 of the 70 to their unit's result.
  The split of the 30 general points was not confirmed: it is data, edit it.
Bands 90/70/50; a reprimand or heavier discipline forces failure (cap level 4).
"""

import datetime
from decimal import Decimal as D

from django.db import migrations

BANDS = [(1, D(90)), (2, D(70)), (3, D(50)), (4, D(0))]

GENERAL_335 = (
    "Tiêu chí chung",
    [
        ("C1", "Phẩm chất chính trị, đạo đức, lối sống", "manual", D(8), None),
        ("C2", "Văn hóa công vụ, ý thức tổ chức kỷ luật, kỷ cương", "manual", D(8), None),
        ("C3", "Thái độ phục vụ Nhân dân, doanh nghiệp", "manual", D(8), None),
        ("C4", "Tinh thần đổi mới, sáng tạo, dám nghĩ, dám làm", "manual", D(6), None),
    ],
)
DISCIPLINE = (
    "Điểm trừ",
    [
        ("T1", "Vi phạm kỷ luật, kỷ cương hành chính bị nhắc nhở", "deduction", D(10), None),
        ("T2", "Bị kỷ luật từ khiển trách trở lên trong năm", "deduction", D(10), 4),
    ],
)

SETS = [
    {
        "code": "dia-phuong-2019",
        "name": "Bộ tiêu chí chấm điểm hằng tháng (mẫu địa phương 2019)",
        "effective_from": datetime.date(2019, 1, 1),
        "leaders": "all",
        "priority": 200,
        "note": "Đề án nâng cao chất lượng thực thi công vụ huyện Quản Bạ 2018–2020; "
        "QĐ 3814-QĐ/TU (Hà Nội, 2018).",
        "groups": [
            (
                "Ý thức tổ chức kỷ luật, phẩm chất đạo đức",
                [
                    ("1.1", "Chấp hành chủ trương, chính sách, pháp luật", "manual", D(5), None),
                    ("1.2", "Phẩm chất đạo đức, lối sống", "manual", D(5), None),
                    ("1.3", "Chấp hành kỷ luật, kỷ cương, giờ giấc", "manual", D(5), None),
                    ("1.4", "Tinh thần, thái độ phục vụ nhân dân", "manual", D(5), None),
                ],
            ),
            (
                "Kết quả thực hiện nhiệm vụ",
                [
                    ("2.1", "Kết quả thực hiện công việc đã đăng ký", "task_result", D(70), None),
                    ("2.2", "Tinh thần trách nhiệm, phối hợp trong công tác", "manual", D(10), None),
                ],
            ),
            (
                "Điểm thưởng, điểm trừ",
                [
                    ("3.1", "Hoàn thành xuất sắc nhiệm vụ đột xuất, có sáng kiến", "bonus", D(10), None),
                    ("3.2", "Vi phạm kỷ luật, kỷ cương hành chính bị nhắc nhở", "deduction", D(10), None),
                    ("3.3", "Bị kỷ luật từ khiển trách trở lên", "deduction", D(20), 4),
                ],
            ),
        ],
    },
    {
        "code": "nd335",
        "name": "Tiêu chí đánh giá theo Nghị định 335/2025/NĐ-CP",
        "effective_from": datetime.date(2026, 1, 1),
        "leaders": "staff",
        "priority": 100,
        "note": "Nghị định 335/2025/NĐ-CP: 30 điểm tiêu chí chung, 70 điểm kết quả thực hiện "
        "nhiệm vụ; xếp loại 90/70/50.",
        "groups": [
            GENERAL_335,
            (
                "Tiêu chí kết quả thực hiện nhiệm vụ",
                [("K1", "Số lượng, chất lượng, tiến độ sản phẩm, công việc", "task_result", D(70), None)],
            ),
            DISCIPLINE,
        ],
    },
    {
        "code": "nd335-lanh-dao",
        "name": "Tiêu chí đánh giá người đứng đầu theo Nghị định 335/2025/NĐ-CP",
        "effective_from": datetime.date(2026, 1, 1),
        "leaders": "heads",
        "priority": 100,
        "note": "Người đứng đầu: kết quả của cơ quan, đơn vị được giao phụ trách tính 100% khi "
        "mọi người hoàn thành nhiệm vụ, 50% khi có người không hoàn thành.",
        "groups": [
            GENERAL_335,
            (
                "Tiêu chí kết quả thực hiện nhiệm vụ",
                [
                    ("K1", "Số lượng, chất lượng, tiến độ sản phẩm, công việc", "task_result", D(50), None),
                    ("K2", "Kết quả của cơ quan, đơn vị được giao phụ trách", "unit_result", D(20), None),
                ],
            ),
            DISCIPLINE,
        ],
    },
]

PRODUCTS = [
    ("van-ban-qppl", "Văn bản quy phạm pháp luật", D("2.0")),
    ("quyet-dinh", "Quyết định", D("1.0")),
    ("ke-hoach", "Kế hoạch, đề án", D("1.0")),
    ("to-trinh", "Tờ trình", D("0.8")),
    ("bao-cao", "Báo cáo", D("0.5")),
    ("bien-ban", "Biên bản kiểm tra, làm việc", D("0.5")),
    ("cong-van", "Công văn", D("0.3")),
    ("ho-so-tthc", "Hồ sơ thủ tục hành chính giải quyết", D("0.2")),
]

OFFICE_MODELS = ["criteriaset", "period", "workproduct", "evaluation"]


def ship(apps, schema_editor):
    CriteriaSet = apps.get_model("scoring", "CriteriaSet")
    Group = apps.get_model("scoring", "CriterionGroup")
    Criterion = apps.get_model("scoring", "Criterion")
    Band = apps.get_model("scoring", "ClassificationBand")
    for spec in SETS:
        fields = {k: v for k, v in spec.items() if k != "groups"}
        criteria_set = CriteriaSet.objects.create(**fields)
        for order, (title, lines) in enumerate(spec["groups"]):
            group = Group.objects.create(criteria_set=criteria_set, title=title, sort_order=order)
            for line_order, (code, line_title, kind, max_points, cap) in enumerate(lines):
                Criterion.objects.create(
                    group=group,
                    code=code,
                    title=line_title,
                    kind=kind,
                    max_points=max_points,
                    cap_level=cap,
                    sort_order=line_order,
                )
        for order, (level, minimum) in enumerate(BANDS):
            Band.objects.create(
                criteria_set=criteria_set, level=level, minimum=minimum, sort_order=order
            )
    WorkProduct = apps.get_model("scoring", "WorkProduct")
    for code, name, weight in PRODUCTS:
        WorkProduct.objects.get_or_create(code=code, defaults={"name": name, "weight": weight})
    _grant_office(apps)


def _grant_office(apps):
    from scoring.access.roles import HOME_AFFAIRS
    from scoring.migrations._permissions import make_permissions

    make_permissions(apps)
    Permission = apps.get_model("auth", "Permission")
    office = apps.get_model("auth", "Group").objects.get(name=HOME_AFFAIRS)
    office.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="scoring",
            content_type__model__in=OFFICE_MODELS,
        )
    )


class Migration(migrations.Migration):
    dependencies = [("scoring", "0004_freeze_closed_periods"), ("scoring", "0002_unit_kinds_and_roles")]
    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
