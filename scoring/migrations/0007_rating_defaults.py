"""Ship the default rating questions, the desk officers' criteria set and permissions.

Questions follow what provincial portals ask (DOMAIN.md): overall service, time against
what was promised, the officer's attitude and absence of harassment, clarity of guidance,
visits needed. The desk officers' Decree 335 set scores "attitude in serving citizens"
(C3) from citizen ratings instead of by hand.
"""

import datetime
from decimal import Decimal as D

from django.db import migrations

QUESTIONS = [
    ("overall", "Nhìn chung, ông/bà hài lòng thế nào về việc phục vụ?",
     "Overall, how satisfied are you with the service?", True),
    ("time", "Thời gian giải quyết so với thời hạn đã hẹn",
     "Time taken compared with what you were promised", False),
    ("attitude", "Thái độ của công chức: tận tình, không phiền hà, sách nhiễu",
     "The officer's attitude: helpful, no harassment", False),
    ("guidance", "Hướng dẫn hồ sơ, thủ tục rõ ràng, dễ hiểu",
     "Clear, easy guidance on the dossier and procedure", False),
    ("visits", "Số lần phải đi lại để hoàn thành hồ sơ",
     "The number of visits you needed", False),
]

DESK_SET_GROUPS = [
    ("Tiêu chí chung", [
        ("C1", "Phẩm chất chính trị, đạo đức, lối sống", "manual", D(8), None),
        ("C2", "Văn hóa công vụ, ý thức tổ chức kỷ luật, kỷ cương", "manual", D(8), None),
        ("C3", "Thái độ phục vụ Nhân dân, doanh nghiệp (theo đánh giá của người dân)",
         "citizen_satisfaction", D(8), None),
        ("C4", "Tinh thần đổi mới, sáng tạo, dám nghĩ, dám làm", "manual", D(6), None),
    ]),
    ("Tiêu chí kết quả thực hiện nhiệm vụ", [
        ("K1", "Số lượng, chất lượng, tiến độ sản phẩm, công việc", "task_result", D(70), None),
    ]),
    ("Điểm trừ", [
        ("T1", "Vi phạm kỷ luật, kỷ cương hành chính bị nhắc nhở", "deduction", D(10), None),
        ("T2", "Bị kỷ luật từ khiển trách trở lên trong năm", "deduction", D(10), 4),
    ]),
]

PERMISSIONS = {
    "Cán bộ bộ phận một cửa": [
        "add_receipt", "view_receipt", "change_receipt", "view_servicedesk",
    ],
    "Cơ quan tổ chức – nội vụ": [
        f"{action}_{model}"
        for model in ("servicedesk", "questionset", "receipt", "citizenrating")
        for action in ("add", "change", "delete", "view")
    ],
}


def ship(apps, schema_editor):
    QuestionSet = apps.get_model("scoring", "QuestionSet")
    Question = apps.get_model("scoring", "Question")
    question_set = QuestionSet.objects.create(
        name="Bộ câu hỏi đánh giá mức độ hài lòng (mặc định)",
        scale=3,
        effective_from=datetime.date(2019, 1, 1),
    )
    for order, (code, text_vi, text_en, overall) in enumerate(QUESTIONS):
        Question.objects.create(
            question_set=question_set, code=code, text_vi=text_vi, text_en=text_en,
            is_overall=overall, sort_order=order,
        )
    _desk_set(apps)
    _grant(apps)


def _desk_set(apps):
    CriteriaSet = apps.get_model("scoring", "CriteriaSet")
    Group = apps.get_model("scoring", "CriterionGroup")
    Criterion = apps.get_model("scoring", "Criterion")
    Band = apps.get_model("scoring", "ClassificationBand")
    criteria_set = CriteriaSet.objects.create(
        code="nd335-mot-cua",
        name="Tiêu chí đánh giá công chức bộ phận một cửa theo Nghị định 335/2025/NĐ-CP",
        effective_from=datetime.date(2026, 1, 1),
        leaders="staff",
        priority=100,
        for_desk_officers=True,
        note="Tiêu chí thái độ phục vụ tính từ mức độ hài lòng của người dân (Quyết định "
        "766/QĐ-TTg).",
    )
    for order, (title, lines) in enumerate(DESK_SET_GROUPS):
        group = Group.objects.create(criteria_set=criteria_set, title=title, sort_order=order)
        for line_order, (code, text, kind, max_points, cap) in enumerate(lines):
            Criterion.objects.create(
                group=group, code=code, title=text, kind=kind, max_points=max_points,
                cap_level=cap, sort_order=line_order,
            )
    for order, (level, minimum) in enumerate([(1, D(90)), (2, D(70)), (3, D(50)), (4, D(0))]):
        Band.objects.create(criteria_set=criteria_set, level=level, minimum=minimum, sort_order=order)


def _grant(apps):
    from scoring.migrations._permissions import grant, make_permissions

    make_permissions(apps)
    for group_name, codenames in PERMISSIONS.items():
        grant(apps, group_name, codenames)


class Migration(migrations.Migration):
    dependencies = [("scoring", "0006_citizen_ratings")]
    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
