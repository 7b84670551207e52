"""One-stop desks for the demo: desks, officers, receipts and citizen ratings.

Made once (a desk that exists is left as it is): the district's public administrative
service centre, where the demo desk officer (``motcua``) serves, and the one-stop desk
of Thị trấn Tam Sơn. Receipts cover the past ``MONTHS`` months and this one up to
yesterday (the months the demo's history plays and releases), about two thirds of them
rated, so the dashboard, the report and the desk officers' sheets
show real figures from the first login.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from scoring.models import Assignment, CitizenRating, QuestionSet, Receipt, ServiceDesk, Unit
from scoring.ratings.rating import record_rating
from scoring.ratings.receipts import issue_receipt

PROCEDURES = [
    "Đăng ký khai sinh",
    "Chứng thực bản sao từ bản chính",
    "Đăng ký kết hôn",
    "Cấp giấy chứng nhận quyền sử dụng đất",
    "Đăng ký thường trú",
    "Cấp giấy phép xây dựng nhà ở riêng lẻ",
    "Xác nhận tình trạng hôn nhân",
]
MONTHS = 7  # months of receipts before this one
DESKS = [
    # (code, name, unit code, how many officers from that unit)
    ("mot-cua-huyen", "Bộ phận một cửa – Trung tâm Phục vụ hành chính công", "QB-UBND-HCC", 4),
    ("mot-cua-tam-son", "Bộ phận một cửa Thị trấn Tam Sơn", "QB-X01", 2),
]


@transaction.atomic
def ensure_demo_desks(today: datetime.date | None = None) -> int:
    """Create the demo desks with receipts and ratings; returns how many desks were made."""
    today = today or timezone.localdate()
    made = 0
    for code, name, unit_code, officers in DESKS:
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is None or ServiceDesk.objects.filter(code=code).exists():
            continue
        desk = ServiceDesk.objects.create(unit=unit, code=code, name=name)
        people = _officers(unit, officers)
        desk.officers.set(people)
        desk.save()
        _receipts_and_ratings(desk, people, today, random.Random(code))
        made += 1
    return made


def _officers(unit: Unit, count: int):
    """The demo desk officer first, then non-heads of the unit."""
    posts = (
        Assignment.objects.filter(unit=unit, end_date__isnull=True, position__is_head=False)
        .select_related("staff__user")
        .order_by("staff__code")
    )
    people = [post.staff for post in posts]
    people.sort(key=lambda person: not (person.user and person.user.username == "motcua"))
    return [p for p in people if not (p.user and p.user.username == "canbo")][:count]


def _receipts_and_ratings(desk, officers, today: datetime.date, rng: random.Random) -> None:
    """Receipts on working days since ``MONTHS`` months ago, made as an officer makes them."""
    index = today.year * 12 + today.month - 1 - MONTHS
    day = datetime.date(index // 12, index % 12 + 1, 1)
    receipts = []
    while day < today:
        for number in range(rng.randint(3, 9) if day.weekday() < 5 else 0):
            dossier = f"{desk.code.upper()}-{day:%y%m%d}-{number:03d}"
            receipts.append(
                issue_receipt(desk, rng.choice(officers), dossier, rng.choice(PROCEDURES), day)
            )
        day += datetime.timedelta(days=1)
    _ratings(receipts, rng)


def _ratings(receipts: list[Receipt], rng: random.Random) -> None:
    """About two thirds of the receipts rated, through the citizen's own path.

    The rating is then dated in the afternoon of its receipt's day, as if the citizen had
    rated on the way home (the service records the present moment).
    """
    question_set = (
        QuestionSet.objects.prefetch_related("questions").order_by("-effective_from").first()
    )
    questions = list(question_set.questions.all())
    overall_code = next((q.code for q in questions if q.is_overall), None)
    top = question_set.scale
    made = []
    for receipt in receipts:
        if rng.random() > 0.65:
            continue
        overall = rng.choices([top, top - 1, 1], weights=[6, 3, 1])[0]
        answers = {q.code: max(1, min(top, overall + rng.choice([-1, 0, 0, 1]))) for q in questions}
        if overall_code:
            answers[overall_code] = overall
        channel = rng.choice(["link", "code", "kiosk"])
        raw = {code: str(value) for code, value in answers.items()}
        rating = record_rating(receipt, question_set, raw, "", channel, "")
        moment = datetime.datetime.combine(receipt.issued_on, datetime.time(15, rng.randint(0, 59)))
        rating.created_at = timezone.make_aware(moment)
        made.append(rating)
    CitizenRating.objects.bulk_update(made, ["created_at"], batch_size=500)
