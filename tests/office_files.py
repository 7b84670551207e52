"""Staff lists laid out as Vietnamese offices keep them, as file bytes for import tests.

A commune's People's Committee keeps its staff list as an official document, not as a
table: a title block with merged cells above the header (the issuing body, the national
motto, the title, "(Kèm theo …)"), the header further down, sometimes not in column A or
not on the first sheet, positions and categories written as words, dates typed every way
Excel allows, a total line and a signature block under the table. These builders write
such files (XLSX with openpyxl, or CSV as Excel saves it) and say on which row each
person, defect, total and signature sits, so a test can assert that a message names the
right row.

Pure file builders: no Django model is imported, so they serve tests and benchmarks alike::

    people = commune_people(32)
    made = office_staff_list(people, defects=SIX_DEFECTS)
    made.content, made.filename            # the file
    made.rows[people[0].code]              # 7: the header is on row 6
    made.defect_rows["duplicate_code"]     # the row of the second occurrence
    made.duplicate_first_row               # the row of the first one
    units_file([COMMUNE], parent_code=district.code)   # the unit, in the plain layout
    positions_file(COMMUNE_POSITIONS)      # the positions, named as the office names them
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import random
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import openpyxl
from openpyxl.styles import Alignment, Font

# Who keeps the list -------------------------------------------------------------------


@dataclass(frozen=True)
class Office:
    """The unit whose list it is, and the words of its document's title block."""

    code: str  # its unit code ("Mã đơn vị")
    name: str  # the unit's name, as the units import takes it
    kind: str  # its unit kind code (migration 0002: commune, agency, …)
    place: str  # the place name of the signature line ("Thanh Vân, ngày … tháng …")
    parent_body: str  # issuing body, first line (top left)
    body: str  # issuing body, second line
    title: str  # the document's title
    signer_title: str  # who signs on the right ("CHỦ TỊCH", "TRƯỞNG PHÒNG")
    signer: str  # their name under the signature, when the list has no head
    preparer: str  # who drew the list up ("NGƯỜI LẬP BIỂU")
    attachment: str  # the line under the title: "(Kèm theo …)"


COMMUNE = Office(
    code="XA-THANHVAN",
    name="Xã Thanh Vân",
    kind="commune",
    place="Thanh Vân",
    parent_body="UBND HUYỆN QUẢN BẠ",
    body="UBND XÃ THANH VÂN",
    title="DANH SÁCH CÁN BỘ, CÔNG CHỨC XÃ THANH VÂN",
    signer_title="CHỦ TỊCH",
    signer="Giàng A Páo",
    preparer="Nguyễn Thị Hải Yến",
    attachment="(Kèm theo Báo cáo số 12/BC-UBND ngày 15/01/2026 của UBND xã Thanh Vân)",
)

AGENCY = Office(
    code="PNV-QUANBA",
    name="Phòng Nội vụ huyện Quản Bạ",
    kind="agency",
    place="Quản Bạ",
    parent_body="UBND HUYỆN QUẢN BẠ",
    body="PHÒNG NỘI VỤ",
    title="DANH SÁCH CÔNG CHỨC, VIÊN CHỨC VÀ NGƯỜI LAO ĐỘNG PHÒNG NỘI VỤ",
    signer_title="TRƯỞNG PHÒNG",
    signer="Hoàng Minh Đức",
    preparer="Vũ Thị Thu Trang",
    attachment="(Kèm theo Công văn số 125/PNV ngày 15/01/2026 của Phòng Nội vụ)",
)


# Positions, as offices name them -----------------------------------------------------


@dataclass(frozen=True)
class PositionSpec:
    """A post title: the code a positions import gives it, and the name offices write."""

    code: str
    name: str
    category: str  # the category its holders usually have: CB, CC, VC or HD
    is_head: bool = False
    rank: int = 100
    seats: int = 1  # how many people of a commune of ~32 hold it
    sex: str | None = None  # "Nữ" for the chair of the Women's Union
    more: bool = False  # takes the people past the seats of a larger list


COMMUNE_POSITIONS: tuple[PositionSpec, ...] = (
    PositionSpec("BT-DU", "Bí thư Đảng ủy", "CB", rank=1),
    PositionSpec("PBT-DU", "Phó Bí thư Thường trực Đảng ủy", "CB", rank=2),
    PositionSpec("CT-HDND", "Chủ tịch HĐND", "CB", rank=3),
    PositionSpec("PCT-HDND", "Phó Chủ tịch HĐND", "CB", rank=4),
    PositionSpec("CT-UBND", "Chủ tịch UBND", "CB", is_head=True, rank=5),
    PositionSpec("PCT-UBND", "Phó Chủ tịch UBND", "CB", rank=6, seats=2),
    PositionSpec("CT-MTTQ", "Chủ tịch Ủy ban MTTQ", "CB", rank=10),
    PositionSpec("BT-DTN", "Bí thư Đoàn Thanh niên", "CB", rank=11),
    PositionSpec("CT-HPN", "Chủ tịch Hội Phụ nữ", "CB", rank=12, sex="Nữ"),
    PositionSpec("CT-HND", "Chủ tịch Hội Nông dân", "CB", rank=13),
    PositionSpec("CT-HCCB", "Chủ tịch Hội Cựu chiến binh", "CB", rank=14),
    PositionSpec("TR-CAX", "Trưởng Công an xã", "CC", rank=20),
    PositionSpec("CHT-QS", "Chỉ huy trưởng Quân sự", "CC", rank=21),
    PositionSpec("CC-VPTK", "Công chức Văn phòng - Thống kê", "CC", rank=30, seats=2, more=True),
    PositionSpec("CC-DCXD", "Công chức Địa chính - Xây dựng", "CC", rank=31, seats=2, more=True),
    PositionSpec("CC-TCKT", "Công chức Tài chính - Kế toán", "CC", rank=32, seats=2, more=True),
    PositionSpec("CC-TPHT", "Công chức Tư pháp - Hộ tịch", "CC", rank=33, seats=2, more=True),
    PositionSpec("CC-VHXH", "Công chức Văn hóa - Xã hội", "CC", rank=34, seats=2, more=True),
    PositionSpec(
        "VC-PVHC", "Viên chức Trung tâm Phục vụ hành chính công", "VC", rank=40, seats=2, more=True
    ),
    PositionSpec("HD-PV", "Nhân viên phục vụ", "HD", rank=60, seats=2),
)

AGENCY_POSITIONS: tuple[PositionSpec, ...] = (
    PositionSpec("TRUONG-PHONG", "Trưởng phòng", "CC", is_head=True, rank=1),
    PositionSpec("PHO-TRUONG-PHONG", "Phó Trưởng phòng", "CC", rank=2, seats=2),
    PositionSpec("CHUYEN-VIEN", "Chuyên viên", "CC", rank=50, seats=6, more=True),
    PositionSpec("VC-LUU-TRU", "Viên chức Lưu trữ", "VC", rank=60),
    PositionSpec("HD-LAI-XE", "Lái xe", "HD", rank=70),
)

HEAD_CODES = {p.code for p in (*COMMUNE_POSITIONS, *AGENCY_POSITIONS) if p.is_head}

# The category as offices write it: the words, sometimes the abbreviation.
CATEGORY_WORDS = {"CB": "Cán bộ", "CC": "Công chức", "VC": "Viên chức", "HD": "Hợp đồng"}
CATEGORY_ABBREVIATIONS = {"CB": "CB", "CC": "CC", "VC": "VC", "HD": "HĐ"}


# People ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """One row of a staff list: what the file says, and what an import should store.

    ``category_text`` and ``position`` are written as the office writes them; the
    ``category`` code (CB/CC/VC/HD) and ``position_code`` are what they mean.
    """

    code: str
    full_name: str
    category: str
    category_text: str
    position: str
    position_code: str
    unit_code: str
    start: datetime.date
    birth: datetime.date
    sex: str  # "Nam" or "Nữ"
    ethnicity: str
    note: str = ""


# (full name, sex, ethnicity): Kinh names and those of the ethnic minorities of Hà Giang
# and the Central Highlands, including names with an apostrophe.
NAMES: tuple[tuple[str, str, str], ...] = (
    ("Giàng A Páo", "Nam", "Mông"),
    ("Sùng Thị Mỷ", "Nữ", "Mông"),
    ("Nguyễn Văn Hùng", "Nam", "Kinh"),
    ("Vàng Seo Lử", "Nam", "Mông"),
    ("Thào A Dế", "Nam", "Mông"),
    ("Lù Thị Chia", "Nữ", "Mông"),
    ("H'Hen Niê", "Nữ", "Ê Đê"),
    ("Trần Thị Bích Ngọc", "Nữ", "Kinh"),
    ("Nông Văn Tuấn", "Nam", "Tày"),
    ("Mua Mí Chúa", "Nam", "Mông"),
    ("Hoàng Thị Nhung", "Nữ", "Tày"),
    ("Triệu Tiến Lợi", "Nam", "Dao"),
    ("Lê Hoàng Nam", "Nam", "Kinh"),
    ("Giàng Thị Dua", "Nữ", "Mông"),
    ("Ksor H'Bơ Khăp", "Nữ", "Gia Rai"),
    ("Lý Mí Sính", "Nam", "Mông"),
    ("Phạm Thu Hà", "Nữ", "Kinh"),
    ("Bàn Thị Mai", "Nữ", "Dao"),
    ("Hầu A Lử", "Nam", "Mông"),
    ("Đỗ Thị Hương", "Nữ", "Kinh"),
    ("Sùng Mí Chứ", "Nam", "Mông"),
    ("Ma Văn Khánh", "Nam", "Tày"),
    ("Vũ Quốc Khánh", "Nam", "Kinh"),
    ("Thào Thị Máy", "Nữ", "Mông"),
    ("H'Ngọc Mlô", "Nữ", "Ê Đê"),
    ("Đặng Văn Thắng", "Nam", "Kinh"),
    ("Vàng Thị Sua", "Nữ", "Mông"),
    ("Ngô Thị Lan Anh", "Nữ", "Kinh"),
    ("Lò Văn Bình", "Nam", "Tày"),
    ("Cư Seo Dình", "Nam", "Mông"),
    ("Dương Minh Tuấn", "Nam", "Kinh"),
    ("Lục Thị Hoa", "Nữ", "Nùng"),
    ("Nguyễn Thị Hải Yến", "Nữ", "Kinh"),
    ("Hoàng Minh Đức", "Nam", "Kinh"),
    ("Vũ Thị Thu Trang", "Nữ", "Kinh"),
)

# Beyond the list above, names are composed (for files of thousands of rows).
SURNAMES = {
    "Kinh": ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi"),
    "Mông": ("Giàng", "Sùng", "Vàng", "Thào", "Lù", "Mua", "Hầu", "Lý"),
}
MIDDLE = {
    ("Kinh", "Nam"): ("Văn", "Minh", "Đức", "Quốc"),
    ("Kinh", "Nữ"): ("Thị", "Thị Thu", "Thị Hải", "Thu"),
    ("Mông", "Nam"): ("A", "Seo", "Mí", "Văn"),
    ("Mông", "Nữ"): ("Thị",),
}
GIVEN = {
    ("Kinh", "Nam"): ("Hùng", "Tuấn", "Khánh", "Thắng", "Nam", "Dũng", "Long", "Hải"),
    ("Kinh", "Nữ"): ("Hương", "Ngọc", "Hà", "Yến", "Lan", "Trang", "Hoa", "Nhung"),
    ("Mông", "Nam"): ("Páo", "Lử", "Dế", "Chứ", "Sính", "Dình", "Chúa", "Pàng"),
    ("Mông", "Nữ"): ("Mỷ", "Chia", "Dua", "Máy", "Sua", "Dợ", "Mai", "Say"),
}


def _composed() -> list[tuple[str, str, str]]:
    """Kinh and H'Mông names from the parts above, in a fixed shuffled order."""
    made = [
        (f"{surname} {middle} {given}", sex, ethnicity)
        for (ethnicity, sex), middles in MIDDLE.items()
        for surname in SURNAMES[ethnicity]
        for middle in middles
        for given in GIVEN[ethnicity, sex]
    ]
    random.Random(635).shuffle(made)
    return made


COMPOSED = _composed()


def _names() -> Iterable[tuple[str, str, str]]:
    yield from NAMES
    while True:  # composed names, then namesakes, told apart by their codes
        yield from COMPOSED


class _NamePicker:
    """Names in :func:`_names` order; a seat for a woman takes the next woman's name."""

    def __init__(self, offset: int = 0) -> None:
        self.stream = itertools.islice(_names(), offset, None)
        self.waiting: list[tuple[str, str, str]] = []

    def take(self, sex: str | None) -> tuple[str, str, str]:
        for index, name in enumerate(self.waiting):
            if sex in (None, name[1]):
                return self.waiting.pop(index)
        for name in self.stream:
            if sex in (None, name[1]):
                return name
            self.waiting.append(name)
        raise AssertionError("the stream of names is endless")


def _seats(positions: Sequence[PositionSpec], n: int) -> list[PositionSpec]:
    """``n`` posts: every seat of ``positions`` in order, then more of the staff posts."""
    seats = [spec for spec in positions for _seat in range(spec.seats)]
    extra = itertools.cycle([spec for spec in positions if spec.more] or positions)
    while len(seats) < n:
        seats.append(next(extra))
    return seats[:n]


def _day(rng: random.Random, first_year: int, last_year: int) -> datetime.date:
    return datetime.date(rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))


def people_of(
    positions: Sequence[PositionSpec],
    n: int,
    *,
    unit_code: str,
    code_prefix: str | None = None,
    seed: int = 2026,
    name_offset: int = 0,
) -> list[Person]:
    """``n`` people holding ``positions`` in ``unit_code``, deterministic for a ``seed``.

    Staff codes are ``code_prefix`` (default ``unit_code + "-"``) and a number from 001.
    The category is written as its word, one in four times as its abbreviation ("HĐ"
    for a contract worker, as offices type it).
    """
    rng = random.Random(seed)
    prefix = f"{unit_code}-" if code_prefix is None else code_prefix
    made = []
    names = _NamePicker(name_offset)
    for index, spec in enumerate(_seats(positions, n)):
        name, sex, ethnicity = names.take(spec.sex)
        written = CATEGORY_ABBREVIATIONS if index % 4 == 3 else CATEGORY_WORDS
        made.append(
            Person(
                code=f"{prefix}{index + 1:03d}",
                full_name=name,
                category=spec.category,
                category_text=written[spec.category],
                position=spec.name,
                position_code=spec.code,
                unit_code=unit_code,
                start=datetime.date(
                    rng.randint(2005, 2024), rng.randint(1, 12), rng.randint(1, 28)
                ),
                birth=datetime.date(
                    rng.randint(1965, 2000), rng.randint(1, 12), rng.randint(1, 28)
                ),
                sex=sex,
                ethnicity=ethnicity,
                note="Kiêm nhiệm" if spec.code == "BT-DU" else "",
            )
        )
    return made


def commune_people(n: int = 32, unit_code: str = COMMUNE.code, **options) -> list[Person]:
    """The staff of a commune People's Committee: its cadres, civil servants, public
    employees and contract workers, the chair and the Party secretary first."""
    return people_of(COMMUNE_POSITIONS, n, unit_code=unit_code, **options)


def agency_people(n: int = 12, unit_code: str = AGENCY.code, **options) -> list[Person]:
    """The staff of a district agency (Phòng Nội vụ): head, deputies, specialists."""
    options.setdefault("seed", 2019)
    options.setdefault("name_offset", NAMES.index(("Hoàng Minh Đức", "Nam", "Kinh")))
    return people_of(AGENCY_POSITIONS, n, unit_code=unit_code, **options)


# The office's layout ----------------------------------------------------------------------

# The columns of the list, by what they hold; the spellings offices use for them.
COLUMNS = (
    "number",
    "name",
    "birth",
    "sex",
    "ethnicity",
    "position",
    "category",
    "code",
    "unit",
    "start",
    "note",
)
SPELLINGS: dict[str, dict[str, str]] = {
    "standard": {
        "number": "STT",
        "name": "Họ và tên",
        "birth": "Ngày sinh",
        "sex": "Giới tính",
        "ethnicity": "Dân tộc",
        "position": "Chức vụ",
        "category": "Loại (CB/CC/VC)",
        "code": "Mã cán bộ",
        "unit": "Mã đơn vị",
        "start": "Ngày bắt đầu",
        "note": "Ghi chú",
    },
}
SPELLINGS["variant"] = {
    **SPELLINGS["standard"],
    "position": "Chức danh",
    "category": "Phân loại",
    "start": "Ngày nhận công tác",
}

# The five real defects of the "copy with six defects"; "spaces" is the sixth, which an
# import must tidy away and never report.
DEFECTS = ("duplicate_code", "unknown_unit", "impossible_date", "unknown_category", "empty_name")
SIX_DEFECTS = ("spaces", *DEFECTS)
IMPOSSIBLE_DATE = "31/02/2020"
UNKNOWN_CATEGORY = "Cán sự"
# Where the defects go, as indexes into ``people`` (all distinct; needs 16 people).
DUPLICATED_INDEX = 2  # the first occurrence of the repeated code
DEFECT_INDEX = {
    "unknown_unit": 4,
    "impossible_date": 7,
    "unknown_category": 10,
    "duplicate_code": 12,
    "empty_name": -2,
}
SPACED_INDEXES = (0, 1, 3, 5, 6, 8)  # rows with spaces and decomposed letters to tidy
DEFECT_COLUMN = {
    "duplicate_code": "code",
    "unknown_unit": "unit",
    "impossible_date": "start",
    "unknown_category": "category",
    "empty_name": "name",
}
TITLE_ROWS = 5  # the title block takes rows 1 to 5


@dataclass
class OfficeFile:
    """A built file and where everything in it is, by row as Excel numbers them."""

    content: bytes
    filename: str
    people: list[Person]
    rows: dict[str, int]  # each person's row, by their code in ``people``
    header_row: int
    first_column: int  # 1 for column A
    headers: dict[str, str]  # what a column holds (one of COLUMNS) -> its header
    sheet_name: str | None  # the sheet holding the list (None for CSV)
    total_row: int
    signature_rows: tuple[int, ...]
    defect_rows: dict[str, int] = field(default_factory=dict)  # defect name -> its row
    duplicate_first_row: int | None = None  # first occurrence of the repeated code
    spaced_rows: tuple[int, ...] = ()  # rows whose cells need tidying, not errors

    def column(self, key: str) -> int:
        """The column number (1 for A) of the column holding ``key`` (one of COLUMNS)."""
        return self.first_column + COLUMNS.index(key)


class _Grid:
    """Cells by (row, column), 1-based, and merged ranges: rendered as XLSX or CSV."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], object] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self.bold: set[tuple[int, int]] = set()

    def put(self, row: int, column: int, value: object, *, to: int | None = None, bold=False):
        self.cells[row, column] = value
        if to is not None and to > column:
            self.merges.append((row, column, row, to))
        if bold:
            self.bold.add((row, column))

    def lines(self) -> list[list[object]]:
        last_row = max(row for row, _column in self.cells)
        last_column = max(column for _row, column in self.cells)
        return [
            [self.cells.get((row, column)) for column in range(1, last_column + 1)]
            for row in range(1, last_row + 1)
        ]


def _date_cell(day: datetime.date, index: int, dates: str, fmt: str) -> object:
    """A date as the office typed it: a real date cell, dd/mm/yyyy, or d/m/yyyy forms."""
    style = {"excel": 0, "text": 1}.get(dates, index % 3)
    if style == 0 and fmt == "xlsx":
        return day
    if style == 2:
        # "01/3/2019", "1/03/2019", "1/3/2019": Excel's and typists' short forms.
        short = (
            f"{day.day:02d}/{day.month}",
            f"{day.day}/{day.month:02d}",
            f"{day.day}/{day.month}",
        )
        return f"{short[index % 3]}/{day.year}"
    return day.strftime("%d/%m/%Y")


def _spaced(text: str, index: int) -> str:
    """``text`` with the spacing noise of copied cells, which an import must tidy."""
    noise = index % 4
    if noise == 0:
        return f"  {text.replace(' ', '  ', 1)} "  # outer and doubled inner spaces
    if noise == 1:
        return text.replace(" ", "\u00a0", 1) + "\u00a0"  # non-breaking spaces
    if noise == 2:
        return unicodedata.normalize("NFD", text)  # decomposed diacritics
    return f" {text}\u00a0\u00a0"  # a space before, non-breaking ones after


def _person_cells(person: Person, index: int, number: int, dates: str, fmt: str) -> dict:
    return {
        "number": number,
        "name": person.full_name,
        "birth": _date_cell(person.birth, index + 1, dates, fmt),
        "sex": person.sex,
        "ethnicity": person.ethnicity,
        "position": person.position,
        "category": person.category_text,
        "code": person.code,
        "unit": person.unit_code,
        "start": _date_cell(person.start, index, dates, fmt),
        "note": person.note or None,
    }


def _unknown_unit(code: str) -> str:
    return code.replace("-", "") if "-" in code else f"{code}0"


def _apply_defects(cells: list[dict], people: list[Person], defects: set[str]) -> dict[str, int]:
    """Spoil the rows the defects name; returns each real defect's index into ``people``."""
    unknown = defects - set(SIX_DEFECTS)
    if unknown:
        raise ValueError(f"Unknown defects: {sorted(unknown)}; choose from {SIX_DEFECTS}.")
    if defects and len(people) < 16:
        raise ValueError("Defects need a list of at least 16 people.")
    where = {name: index % len(people) for name, index in DEFECT_INDEX.items() if name in defects}
    if "spaces" in defects:
        for index in SPACED_INDEXES:
            row = cells[index]
            for column in ("name", "position", "category", "code", "unit"):
                row[column] = _spaced(str(row[column]), index + COLUMNS.index(column))
    if "duplicate_code" in where:
        cells[where["duplicate_code"]]["code"] = people[DUPLICATED_INDEX].code
    if "unknown_unit" in where:
        cells[where["unknown_unit"]]["unit"] = _unknown_unit(
            people[where["unknown_unit"]].unit_code
        )
    if "impossible_date" in where:
        cells[where["impossible_date"]]["start"] = IMPOSSIBLE_DATE
    if "unknown_category" in where:
        cells[where["unknown_category"]]["category"] = UNKNOWN_CATEGORY
    if "empty_name" in where:
        cells[where["empty_name"]]["name"] = None
    return where


def _title_block(grid: _Grid, office: Office, first: int, last: int) -> None:
    middle = first + 4  # the left block spans the first four columns
    grid.put(1, first, office.parent_body, to=middle - 1)
    grid.put(2, first, office.body, to=middle - 1, bold=True)
    grid.put(3, first, "Số: 12/DS-UBND", to=middle - 1)
    grid.put(1, middle + 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", to=last, bold=True)
    grid.put(2, middle + 1, "Độc lập - Tự do - Hạnh phúc", to=last, bold=True)
    grid.put(4, first, office.title, to=last, bold=True)
    grid.put(5, first, office.attachment, to=last)


def _signature_block(
    grid: _Grid, office: Office, signer: str, first: int, last: int, top: int
) -> tuple[int, ...]:
    right = first + 6
    grid.put(top, right, f"{office.place}, ngày 15 tháng 01 năm 2026", to=last)
    grid.put(top + 1, first, "NGƯỜI LẬP BIỂU", to=first + 2, bold=True)
    grid.put(top + 1, right, office.signer_title, to=last, bold=True)
    grid.put(top + 2, first, "(Ký, ghi rõ họ tên)", to=first + 2)
    grid.put(top + 2, right, "(Ký tên, đóng dấu)", to=last)
    grid.put(top + 6, first, office.preparer, to=first + 2, bold=True)
    grid.put(top + 6, right, signer, to=last, bold=True)
    return (top, top + 1, top + 2, top + 6)


def office_staff_list(
    people: Sequence[Person],
    *,
    fmt: str = "xlsx",
    office: Office = COMMUNE,
    header_row: int | None = None,
    first_column: int = 1,
    sheet_index: int = 0,
    title_block: bool = True,
    dates: str = "mixed",
    spelling: str = "standard",
    column_numbers: bool = False,
    defects: Iterable[str] = (),
) -> OfficeFile:
    """``people`` as an office's staff list (see the module's docstring).

    - ``fmt``: ``"xlsx"`` or ``"csv"`` (the same rows as text, UTF-8 with BOM, commas).
    - ``header_row``: the header's row; 6 under the title block, 1 without it. Rows
      between the title block and a lower header stay empty.
    - ``first_column``: the table's first column (3: the table starts in column C).
    - ``sheet_index``: the list's sheet (XLSX only); sheets before it are "Hướng dẫn"
      (notes) and "Danh mục chức vụ" (the positions).
    - ``title_block``: the issuing body, national motto, title and "(Kèm theo …)" in
      merged cells on rows 1–5.
    - ``dates``: ``"mixed"`` (a real date cell, dd/mm/yyyy text, then d/m short forms
      such as "01/3/2019", in turn; CSV has no date cells, so dd/mm/yyyy there),
      ``"text"`` (dd/mm/yyyy) or ``"excel"`` (date cells).
    - ``spelling``: ``"standard"`` or ``"variant"`` headers (:data:`SPELLINGS`).
    - ``column_numbers``: a row "(1)", "(2)", … under the header, as official forms have.
    - ``defects``: some of :data:`SIX_DEFECTS`.

    Under the table: the total line ("Tổng cộng: 32 người", in the STT and name columns)
    and two rows below it the signature block.
    """
    if fmt not in {"xlsx", "csv"}:
        raise ValueError(f"fmt must be 'xlsx' or 'csv', not {fmt!r}")
    if fmt == "csv" and sheet_index:
        raise ValueError("A CSV file has one sheet: sheet_index must be 0.")
    header_row = header_row or (TITLE_ROWS + 1 if title_block else 1)
    if title_block and header_row <= TITLE_ROWS:
        raise ValueError(f"The title block takes rows 1–{TITLE_ROWS}: put the header lower.")
    people = list(people)
    first, last = first_column, first_column + len(COLUMNS) - 1
    headers = SPELLINGS[spelling]
    grid = _Grid()
    if title_block:
        _title_block(grid, office, first, last)
    for offset, column in enumerate(COLUMNS):
        grid.put(header_row, first + offset, headers[column], bold=True)
        if column_numbers:
            grid.put(header_row + 1, first + offset, f"({offset + 1})")
    top = header_row + 1 + column_numbers
    cells = [_person_cells(p, i, i + 1, dates, fmt) for i, p in enumerate(people)]
    where = _apply_defects(cells, people, set(defects))
    for index, row in enumerate(cells):
        for offset, column in enumerate(COLUMNS):
            if row[column] is not None:
                grid.put(top + index, first + offset, row[column])
    total_row = top + len(people)
    grid.put(total_row, first, f"Tổng cộng: {len(people)} người", to=first + 1, bold=True)
    heads = [p.full_name for p in people if p.position_code in HEAD_CODES]
    signer = heads[0] if heads else office.signer
    signature_rows = _signature_block(grid, office, signer, first, last, total_row + 2)
    rows = {person.code: top + index for index, person in enumerate(people)}
    sheet_name = None if fmt == "csv" else "Danh sách"
    made = OfficeFile(
        content=_render(grid, sheet_index) if fmt == "xlsx" else _render_csv(grid),
        filename=f"danh-sach-can-bo-{office.code.lower()}.{fmt}",
        people=people,
        rows=rows,
        header_row=header_row,
        first_column=first,
        headers=dict(headers),
        sheet_name=sheet_name,
        total_row=total_row,
        signature_rows=signature_rows,
        defect_rows={name: top + index for name, index in where.items()},
        duplicate_first_row=top + DUPLICATED_INDEX if "duplicate_code" in where else None,
        spaced_rows=tuple(top + i for i in SPACED_INDEXES) if "spaces" in set(defects) else (),
    )
    return made


GUIDE = (
    "HƯỚNG DẪN LẬP DANH SÁCH",
    "1. Cột “Loại (CB/CC/VC)” ghi: Cán bộ, Công chức, Viên chức hoặc Hợp đồng.",
    "2. Ngày tháng ghi theo dạng ngày/tháng/năm, ví dụ 01/03/2019.",
    "3. Chức vụ ghi đúng tên theo Danh mục chức vụ.",
    "4. Không xóa, không sửa dòng tiêu đề của bảng.",
)


def _render(grid: _Grid, sheet_index: int) -> bytes:
    book = openpyxl.Workbook()
    guide = book.active
    guide.title = "Hướng dẫn"
    for line in GUIDE:
        guide.append([line])
    if sheet_index >= 2:
        catalogue = book.create_sheet("Danh mục chức vụ")
        catalogue.append(["Mã chức vụ", "Tên chức vụ"])
        for spec in COMMUNE_POSITIONS:
            catalogue.append([spec.code, spec.name])
    for number in range(3, sheet_index + 1):
        book.create_sheet(f"Trang {number}").append(["(trống)"])
    sheet = book.create_sheet("Danh sách", index=sheet_index)
    if sheet_index == 0:
        book.remove(guide)
    for (row, column), value in grid.cells.items():
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, datetime.date):
            cell.number_format = "DD/MM/YYYY"
        if (row, column) in grid.bold:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for first_row, first_column, last_row, last_column in grid.merges:
        sheet.merge_cells(
            start_row=first_row,
            start_column=first_column,
            end_row=last_row,
            end_column=last_column,
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _render_csv(grid: _Grid) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for line in grid.lines():
        writer.writerow(["" if value is None else value for value in line])
    return out.getvalue().encode("utf-8-sig")


# The plain layouts the imports read today -------------------------------------------------

UNIT_HEADERS = (
    "Mã đơn vị",
    "Tên đơn vị",
    "Loại đơn vị",
    "Mã đơn vị cấp trên",
    "Hiệu lực từ",
    "Hiệu lực đến",
)
POSITION_HEADERS = ("Mã chức vụ", "Tên chức vụ", "Người đứng đầu", "Thứ tự")
STAFF_HEADERS = (
    "Mã cán bộ",
    "Họ và tên",
    "Phân loại",
    "Mã đơn vị",
    "Mã chức vụ",
    "Ngày bắt đầu",
    "Ngày kết thúc",
)


def plain_file(headers: Sequence[str], rows: Iterable[Sequence[object]], fmt: str) -> bytes:
    """A header row and ``rows`` from A1: the layout the imports read today."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])
        return out.getvalue().encode("utf-8-sig")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def units_file(
    offices: Sequence[Office] = (COMMUNE,),
    *,
    parent_code: str | None = None,
    valid_from: datetime.date = datetime.date(2019, 1, 1),
    fmt: str = "xlsx",
) -> tuple[bytes, str]:
    """The units ``offices`` under ``parent_code`` (say the locality's district), as
    :class:`~scoring.organisation.resources.UnitResource` reads them: ``(content, name)``."""
    start = valid_from.strftime("%d/%m/%Y")
    rows = [(o.code, o.name, o.kind, parent_code or "", start, "") for o in offices]
    return plain_file(UNIT_HEADERS, rows, fmt), f"don-vi.{fmt}"


def positions_file(
    positions: Sequence[PositionSpec] = COMMUNE_POSITIONS, *, fmt: str = "xlsx"
) -> tuple[bytes, str]:
    """The post titles named as offices write them, as the positions import reads them."""
    rows = [(p.code, p.name, "Có" if p.is_head else "Không", p.rank) for p in positions]
    return plain_file(POSITION_HEADERS, rows, fmt), f"chuc-vu.{fmt}"


def plain_staff_rows(people: Iterable[Person]) -> Iterable[tuple]:
    """``people`` as rows of the plain staff layout (codes, dd/mm/yyyy dates)."""
    for person in people:
        yield (
            person.code,
            person.full_name,
            person.category,
            person.unit_code,
            person.position_code,
            person.start.strftime("%d/%m/%Y"),
            "",
        )


def plain_staff_file(people: Iterable[Person], *, fmt: str = "xlsx") -> tuple[bytes, str]:
    """``people`` in the plain layout :class:`StaffResource` reads today: row 1 is the
    header, a person's row is their index + 2."""
    return plain_file(STAFF_HEADERS, plain_staff_rows(people), fmt), f"can-bo.{fmt}"
