"""Spreadsheet import and export of units and staff (XLSX and CSV, Vietnamese headers).

Units are a tree: new units are created through treebeard's API in file order (a parent
listed earlier in the same file works), and an import never moves a unit, because
restructuring is done by merging and closing units (:mod:`scoring.organisation.restructure`).
A person's post is an :class:`~scoring.organisation.models.Assignment`; a row naming
another unit or position ends the current post the day before the new one starts.
The file handling and the all-or-nothing import are :mod:`scoring.lib.spreadsheets`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets
from import_export.instance_loaders import CachedInstanceLoader

from scoring.calendar.closed import all_closed_months, check_not_closed
from scoring.lib.names import fold
from scoring.lib.spreadsheets import (
    CodeWidget,
    DateWidget,
    Proposal,
    SpreadsheetResource,
    TextWidget,
    cell_text,
    day_text,
)

from .models import Assignment, Position, Staff, Unit, UnitChange, UnitKind
from .positions import NewPosition, PositionFinder
from .staff import current_post, staff_with_current_post

UNKNOWN_UNIT = _("Unknown unit code “%(code)s”.")

UNKNOWN_KIND = _("Unknown unit kind “%(code)s”.")
UNKNOWN_STAFF_UNIT = _("No unit has the code or the name “%(code)s”.")
UNKNOWN_POSITION_NAME = _("No position has the code or the name “%(name)s” for this kind of unit.")
END_BEFORE_START = _("The end date is before the start date.")


# Words accepted for each staff category besides the code itself, as offices write them
# (matched whatever the case and diacritics: "CÔNG CHỨC", "cong chuc", "HĐ").
CATEGORY_WORDS = {
    Staff.Category.CADRE: ("cán bộ", "CB", "cán bộ chuyên trách"),
    Staff.Category.CIVIL_SERVANT: ("công chức", "CC"),
    Staff.Category.PUBLIC_EMPLOYEE: ("viên chức", "VC"),
    Staff.Category.CONTRACT: (
        "hợp đồng",
        "HĐ",
        "HD",
        "HĐLĐ",
        "hợp đồng lao động",
        "lao động hợp đồng",
    ),
}


class CategoryWidget(widgets.Widget):
    """A staff category: CB/CC/VC/HĐ, its Vietnamese word, or its full label."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = cell_text(value)
        if not text:
            return ""
        key = fold(text)
        for choice, words in CATEGORY_WORDS.items():
            if key in {fold(choice.value), fold(str(choice.label)), *map(fold, words)}:
                return choice.value
        raise ValueError(
            _(
                "Unknown category “%(value)s”; write Cán bộ, Công chức, Viên chức or "
                "Hợp đồng (or CB, CC, VC, HĐ)."
            )
            % {"value": text}
        )


# Units ----------------------------------------------------------------------------------

UNIT_CODE = "Mã đơn vị"
UNIT_NAME = "Tên đơn vị"
UNIT_KIND = "Loại đơn vị"
UNIT_PARENT = "Mã đơn vị cấp trên"
UNIT_FROM = "Hiệu lực từ"
UNIT_TO = "Hiệu lực đến"
UNIT_DATA_FIELDS = ["code", "name", "kind", "valid_from", "valid_to"]


def units_with_parent_code() -> models.QuerySet[Unit]:
    """Units in tree order, each with its parent's code (one query, no per-row lookups)."""
    parent_path = Substr(
        OuterRef("path"),
        1,
        models.ExpressionWrapper(
            (OuterRef("depth") - 1) * Unit.steplen, output_field=models.IntegerField()
        ),
    )
    parent = Unit.objects.filter(path=parent_path).values("code")[:1]
    return (
        Unit.objects.select_related("kind")
        .annotate(parent_code=Subquery(parent, output_field=models.CharField()))
        .order_by("path")
    )


class DatedResource(SpreadsheetResource):
    """A resource whose rows carry dates that must not fall inside a closed month."""

    validates_unique = False  # units and staff are unique by their code alone

    @cached_property
    def closed_months(self) -> set[tuple[int, int]]:
        return all_closed_months()


class UnitResource(DatedResource):
    """Units by code. New units join the tree under their parent; none is ever moved."""

    code = fields.Field(attribute="code", column_name=UNIT_CODE, widget=TextWidget())
    name = fields.Field(attribute="name", column_name=UNIT_NAME, widget=TextWidget())
    kind = fields.Field(
        attribute="kind", column_name=UNIT_KIND, widget=CodeWidget(UnitKind, UNKNOWN_KIND)
    )
    parent_code = fields.Field(
        attribute="parent_code",
        column_name=UNIT_PARENT,
        widget=CodeWidget(Unit, UNKNOWN_UNIT, as_code=True),
    )
    valid_from = fields.Field(attribute="valid_from", column_name=UNIT_FROM, widget=DateWidget())
    valid_to = fields.Field(attribute="valid_to", column_name=UNIT_TO, widget=DateWidget())

    required_columns = (UNIT_CODE, UNIT_NAME, UNIT_KIND, UNIT_PARENT, UNIT_FROM)
    duplicate_code = _(
        "Unit code “%(code)s” appears more than once in the file (first on row %(row)s)."
    )
    required_cells = (UNIT_CODE, UNIT_NAME, UNIT_KIND, UNIT_FROM)
    clean_exclude = ("path", "depth", "numchild")

    class Meta:
        model = Unit
        fields = ("code", "name", "kind", "parent_code", "valid_from", "valid_to")
        import_id_fields = ("code",)
        # The file's existing rows in one query, not one per row.
        instance_loader_class = CachedInstanceLoader
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_queryset(self) -> models.QuerySet[Unit]:
        return units_with_parent_code()

    def init_instance(self, row: dict | None = None) -> Unit:
        unit = Unit()
        unit.parent_code = None
        return unit

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        try:
            super().import_field(field, instance, row, is_m2m, **kwargs)
        except ValueError:
            later = self._defined_later(field, row, kwargs.get("row_number", 0))
            if later is None:
                raise
            raise ValueError(
                _(
                    "Unit “%(code)s” is defined further down, on row %(row)s; "
                    "list parent units before their children."
                )
                % {"code": cell_text(row[field.column_name]), "row": later}
            ) from None

    def _defined_later(self, field: fields.Field, row: dict, row_number: int) -> int | None:
        if field.attribute != "parent_code":
            return None
        first = self.code_rows.get(cell_text(row.get(field.column_name)))
        return first if first is not None and first > self.file_row(row_number) else None

    def after_init_instance(self, instance, new, row, **kwargs):
        instance.stored_valid_to = None
        if not new:
            instance.stored_parent_code = instance.parent_code
            instance.stored_name = instance.name
            instance.stored_valid_to = instance.valid_to

    def check_row(self, instance: Unit, errors: dict[str, list]) -> None:
        if instance.pk is not None and "parent_code" not in errors:
            current = getattr(instance, "stored_parent_code", None)
            if (instance.parent_code or None) != current:
                errors["parent_code"] = [
                    _(
                        "An import cannot move a unit: “%(code)s” now sits under "
                        "%(current)s. Restructure by merging or closing units instead."
                    )
                    % {
                        "code": instance.code,
                        "current": f"“{current}”" if current else _("no parent unit"),
                    }
                ]
        if instance.valid_from and instance.valid_to and instance.valid_to < instance.valid_from:
            errors.setdefault("valid_to", []).append(END_BEFORE_START)
        if "valid_to" not in errors and instance.valid_to != instance.stored_valid_to:
            # Closing a unit (or moving its end) inside a closed month would change who
            # evaluated whom in a month that is frozen.
            for day in (instance.stored_valid_to, instance.valid_to):
                try:
                    check_not_closed(day, _("the end of a unit"), self.closed_months, ending=True)
                except ValidationError as error:
                    errors.setdefault("valid_to", []).extend(error.messages)
                    break

    def do_instance_save(self, instance: Unit, is_create: bool) -> None:
        if not is_create:
            # Only data fields: an earlier row may have shifted tree paths since loading.
            instance.save(update_fields=UNIT_DATA_FIELDS)
            return
        if instance.parent_code:
            # Fetched afresh: adding a sorted sibling may have moved the parent's path.
            Unit.objects.get(code=instance.parent_code).add_child(instance=instance)
        else:
            Unit.add_root(instance=instance)

    def after_save_instance(self, instance, row, **kwargs):
        """Keep a renamed unit's old name, so earlier months still read it."""
        old_name = getattr(instance, "stored_name", None)
        if old_name is None or old_name == instance.name or not self.writes(kwargs):
            return
        UnitChange.objects.create(
            unit=instance,
            change=UnitChange.Change.RENAMED,
            date=timezone.localdate(),
            old_name=old_name,
            new_name=instance.name,
            note=_("Renamed by spreadsheet import."),
        )


# Staff ----------------------------------------------------------------------------------

STAFF_CODE = "Mã cán bộ"
STAFF_NAME = "Họ và tên"
STAFF_CATEGORY = "Phân loại"
STAFF_UNIT = "Mã đơn vị"
STAFF_POSITION = "Mã chức vụ"
STAFF_START = "Ngày bắt đầu"
STAFF_END = "Ngày kết thúc"
STAFF_DATA_FIELDS = ("code", "full_name", "category", "start_date", "end_date")
# The usual spellings of the staff columns in offices' own lists.
STAFF_ALIASES = {
    STAFF_CODE: (
        "Mã CB",
        "Mã số",
        "Mã số cán bộ",
        "Mã CBCCVC",
        "Mã CBCC",
        "Mã nhân viên",
        "Mã định danh",
        "Số hiệu cán bộ",
    ),
    STAFF_NAME: ("Họ tên", "Họ, tên", "Họ và tên cán bộ", "Tên cán bộ", "Họ và tên khai sinh"),
    STAFF_CATEGORY: (
        "Loại (CB/CC/VC)",
        "Loại",
        "Loại cán bộ",
        "Phân loại CBCCVC",
        "Phân loại cán bộ",
        "Đối tượng",
    ),
    STAFF_UNIT: ("Đơn vị", "Đơn vị công tác", "Cơ quan, đơn vị", "Cơ quan", "Mã cơ quan"),
    STAFF_POSITION: (
        "Chức vụ",
        "Chức danh",
        "Chức vụ, chức danh",
        "Chức vụ/chức danh",
        "Chức vụ hiện tại",
        "Vị trí việc làm",
    ),
    STAFF_START: (
        "Ngày nhận công tác",
        "Ngày bắt đầu công tác",
        "Ngày bắt đầu làm việc",
        "Ngày bổ nhiệm",
        "Ngày vào làm",
        "Từ ngày",
    ),
    STAFF_END: ("Ngày nghỉ việc", "Ngày thôi việc", "Ngày kết thúc công tác", "Đến ngày"),
}


class UnitRefWidget(widgets.Widget):
    """A unit written by its code or by its name (when no other unit has that name)."""

    def __init__(self, finder: Any) -> None:
        super().__init__()
        self.finder = finder  # a callable returning the import's PositionFinder

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str | None:
        text = cell_text(value)
        if not text:
            return None
        code = self.finder().unit_code(text)
        if code is None:
            raise ValueError(UNKNOWN_STAFF_UNIT % {"code": text})
        return code

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value or ""


class PositionRefWidget(UnitRefWidget):
    """A post written by its code or by its name, among the posts of the row's kind of unit
    (:class:`scoring.organisation.positions.PositionFinder`)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str | None:
        text = cell_text(value)
        if not text:
            return None
        finder = self.finder()
        unit = finder.unit_code(cell_text((row or {}).get(STAFF_UNIT)))
        code = finder.position_code(text, unit)
        if code is None:
            raise ValueError(UNKNOWN_POSITION_NAME % {"name": text})
        return code


# The current post: the open one, else the one that ended last.
@dataclass
class PostChange:
    """What a row does to a person's posts: end one, open one, or both."""

    close: Assignment | None = None
    close_on: datetime.date | None = None
    open_unit: str | None = None
    open_position: str | None = None
    open_start: datetime.date | None = None
    open_end: datetime.date | None = None


class StaffResource(DatedResource):
    """Staff by code, with their post: a new unit or position ends the current post."""

    code = fields.Field(attribute="code", column_name=STAFF_CODE, widget=TextWidget())
    full_name = fields.Field(attribute="full_name", column_name=STAFF_NAME, widget=TextWidget())
    category = fields.Field(
        attribute="category", column_name=STAFF_CATEGORY, widget=CategoryWidget()
    )
    post_unit_code = fields.Field(attribute="post_unit_code", column_name=STAFF_UNIT)
    post_position_code = fields.Field(attribute="post_position_code", column_name=STAFF_POSITION)
    post_start = fields.Field(attribute="post_start", column_name=STAFF_START, widget=DateWidget())
    end_date = fields.Field(attribute="end_date", column_name=STAFF_END, widget=DateWidget())

    required_columns = (
        STAFF_CODE,
        STAFF_NAME,
        STAFF_CATEGORY,
        STAFF_UNIT,
        STAFF_POSITION,
        STAFF_START,
    )
    required_cells = required_columns
    clean_exclude = ("start_date",)
    column_aliases = STAFF_ALIASES
    duplicate_code = _(
        "Staff code “%(code)s” appears more than once in the file (first on row %(row)s)."
    )

    proposals_title = _("New positions")
    proposal_choice = _("Leads its unit")

    def __init__(self, confirmed: dict[str, bool] | None = None, **kwargs: Any) -> None:
        """``confirmed``: the new positions the user confirmed, code → leads its unit;
        None for a preview, which proposes every post written that matches none."""
        super().__init__(confirmed, **kwargs)
        self.finder: PositionFinder | None = None
        self.new_positions: list[NewPosition] = []
        self.fields["post_unit_code"].widget = UnitRefWidget(self.get_finder)
        self.fields["post_position_code"].widget = PositionRefWidget(self.get_finder)

    def get_finder(self) -> PositionFinder:
        if self.finder is None:
            self.finder = PositionFinder()
        return self.finder

    def proposals(self) -> list[Proposal]:
        return [
            Proposal(new.code, new.name, new.is_head, new.first_row) for new in self.new_positions
        ]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.finder = PositionFinder()
        self._create_new_positions(dataset)

    def _create_new_positions(self, dataset) -> None:
        """Propose a position for each post written by a name no position has, and create
        those the user confirmed (all of them, in a preview: it is rolled back)."""
        headers = dataset.headers or []
        self.new_positions = []
        if STAFF_POSITION not in headers:
            return
        finder = self.get_finder()
        units = dataset[STAFF_UNIT] if STAFF_UNIT in headers else [None] * len(dataset)
        for index, (unit, text) in enumerate(zip(units, dataset[STAFF_POSITION], strict=True), 1):
            text = cell_text(text)
            unit_code = finder.unit_code(cell_text(unit))
            if text and finder.position_code(text, unit_code) is None:
                finder.propose(text, unit_code, self.file_row(index))
        for proposal in finder.proposed.values():
            if self.confirmed is not None:
                if proposal.code not in self.confirmed:
                    continue
                proposal.is_head = self.confirmed[proposal.code]
            finder.add(proposal.create(), proposal.kind_ids)
            self.new_positions.append(proposal)

    class Meta:
        model = Staff
        fields = (
            "code",
            "full_name",
            "category",
            "post_unit_code",
            "post_position_code",
            "post_start",
            "end_date",
        )
        import_id_fields = ("code",)
        # The file's existing rows in one query, not one per row.
        instance_loader_class = CachedInstanceLoader
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_queryset(self) -> models.QuerySet[Staff]:
        return staff_with_current_post()

    def init_instance(self, row: dict | None = None) -> Staff:
        person = Staff()
        person.post_unit_code = person.post_position_code = None
        person.post_start = person.post_end = None
        return person

    def after_init_instance(self, instance, new, row, **kwargs):
        instance.post_change = None
        instance.stored_post_start = getattr(instance, "post_start", None)

    def check_row(self, instance: Staff, errors: dict[str, list]) -> None:
        if instance.pk is None and instance.post_start:
            instance.start_date = instance.post_start
        start, end = instance.post_start, instance.end_date
        if start and end and end < start:
            errors.setdefault("end_date", []).append(END_BEFORE_START)
        if errors.keys() & {"post_unit_code", "post_position_code", "post_start", "end_date"}:
            return
        instance.post_change = self._plan_post(instance, errors)
        if instance.post_change is None:
            # The post stays as it is, whatever start date the row gives.
            instance.post_start = instance.stored_post_start
        elif instance.post_change.open_start and instance.post_change.open_start < (
            instance.start_date or datetime.date.max
        ):
            instance.start_date = instance.post_change.open_start
        self._check_closed_months(instance.post_change, errors)

    def _check_closed_months(self, change: PostChange | None, errors: dict[str, list]) -> None:
        """A post cannot start or end inside a closed month: it would change who held it."""
        if change is None:
            return
        checks = [
            ("post_start", change.open_start, _("a new post"), False),
            ("post_start", change.close_on, _("the end of a post"), True),
            ("end_date", change.open_end, _("the end of a post"), True),
        ]
        for field, day, what, ending in checks:
            try:
                check_not_closed(day, what, self.closed_months, ending=ending)
            except ValidationError as error:
                errors.setdefault(field, []).extend(error.messages)
                return

    def _plan_post(self, instance: Staff, errors: dict[str, list]) -> PostChange | None:
        current = None if instance.pk is None else current_post(instance.pk)
        unit, position = instance.post_unit_code, instance.post_position_code
        start, end = instance.post_start, instance.end_date
        if current and (current.unit.code, current.position.code) == (unit, position):
            if end is None or current.end_date is not None:
                return None
            if end < current.start_date:
                errors["end_date"] = [
                    _("The end date is before the current post began on %(date)s.")
                    % {"date": day_text(current.start_date)}
                ]
            return PostChange(close=current, close_on=end)
        change = PostChange(open_unit=unit, open_position=position, open_start=start, open_end=end)
        if current and current.end_date is None:
            change.close, change.close_on = current, start - datetime.timedelta(days=1)
            if start <= current.start_date:
                errors["post_start"] = [
                    _("The new post must start after the current post began on %(date)s.")
                    % {"date": day_text(current.start_date)}
                ]
        elif current and current.end_date >= start:
            errors["post_start"] = [
                _("The new post must start after the previous post ended on %(date)s.")
                % {"date": day_text(current.end_date)}
            ]
        return change

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or original is None or original.pk is None:
            return False
        if instance.post_change is not None:
            return False
        return all(getattr(instance, f) == getattr(original, f) for f in STAFF_DATA_FIELDS)

    def after_save_instance(self, instance, row, **kwargs):
        """End the current post and open the new one, as the row's plan says."""
        change: PostChange | None = instance.post_change
        if change is None or not self.writes(kwargs):
            return
        if change.close is not None:
            change.close.end_date = change.close_on
            change.close.save(update_fields=["end_date"])
        if change.open_unit is not None:
            finder = self.get_finder()
            Assignment.objects.create(
                staff=instance,
                unit_id=finder.units[change.open_unit].pk,
                position=finder.positions[change.open_position],
                start_date=change.open_start,
                end_date=change.open_end,
            )


# Positions ------------------------------------------------------------------------------

POSITION_CODE = "Mã chức vụ"
POSITION_NAME = "Tên chức vụ"
POSITION_HEAD = "Người đứng đầu"
POSITION_RANK = "Thứ tự"
POSITION_KINDS = "Loại đơn vị"
YES_WORDS = {"có", "x", "yes", "1", "true", "đúng"}
NO_WORDS = {"", "không", "no", "0", "false", "sai"}


class YesNoWidget(widgets.Widget):
    """ "Có"/"Không" (or x, 1/0, yes/no) as the office writes a tick in a column."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = cell_text(value).casefold()
        if text in YES_WORDS:
            return True
        if text in NO_WORDS:
            return False
        raise ValueError(_("Write “Có” or “Không”, not “%(value)s”.") % {"value": value})

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return str(_("Yes")) if value else str(_("No"))


class KindsWidget(widgets.ManyToManyWidget):
    """Unit kinds by code, separated by commas ("commune, ward"); empty: every kind."""

    def __init__(self) -> None:
        super().__init__(UnitKind, separator=",", field="code")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[UnitKind]:
        codes = [code.strip() for code in cell_text(value).split(",") if code.strip()]
        kinds = {kind.code: kind for kind in UnitKind.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in kinds]
        if unknown:
            raise ValueError(UNKNOWN_KIND % {"code": unknown[0]})
        return [kinds[code] for code in codes]


class PositionResource(SpreadsheetResource):
    """Post titles: their code, name, whether they lead the unit, and their rank."""

    validates_unique = False  # unique by their code alone

    code = fields.Field(attribute="code", column_name=POSITION_CODE, widget=TextWidget())
    name = fields.Field(attribute="name", column_name=POSITION_NAME, widget=TextWidget())
    is_head = fields.Field(attribute="is_head", column_name=POSITION_HEAD, widget=YesNoWidget())
    rank = fields.Field(attribute="rank", column_name=POSITION_RANK, widget=widgets.IntegerWidget())
    unit_kinds = fields.Field(
        attribute="unit_kinds", column_name=POSITION_KINDS, widget=KindsWidget()
    )

    required_columns = (POSITION_CODE, POSITION_NAME)
    required_cells = required_columns
    column_aliases = {
        POSITION_NAME: ("Chức vụ", "Chức danh", "Tên chức danh"),
        POSITION_HEAD: ("Đứng đầu", "Là người đứng đầu", "Cấp trưởng"),
        POSITION_KINDS: ("Loại đơn vị áp dụng",),
    }

    class Meta:
        model = Position
        fields = ("code", "name", "is_head", "rank", "unit_kinds")
        import_id_fields = ("code",)
        # The file's existing rows in one query, not one per row.
        instance_loader_class = CachedInstanceLoader
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_queryset(self) -> models.QuerySet[Position]:
        return Position.objects.prefetch_related("unit_kinds").order_by("rank", "code")

    def init_instance(self, row: dict | None = None) -> Position:
        return Position(rank=100)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "rank" and _blank(row.get(field.column_name)):
            return  # an empty rank keeps the default (or the stored one)
        super().import_field(field, instance, row, is_m2m, **kwargs)


def _blank(value: Any) -> bool:
    return not cell_text(value)


RESOURCES: dict[str, type[SpreadsheetResource]] = {
    "units": UnitResource,
    "positions": PositionResource,
    "staff": StaffResource,
}
