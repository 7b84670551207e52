"""Wagtail's admin chrome reads in Vietnamese (locale_wagtail/vi, built by tools/wagtail_vi.py).

Wagtail's own Vietnamese catalogue translates only a small part of the admin; ours
completes it for both the ``django`` domain (templates, menus, messages) and the
``djangojs`` one (the sidebar, minimap and other React/Stimulus widgets).
"""

import json
import re
import sys
from pathlib import Path

import polib
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "locale_wagtail" / "vi" / "LC_MESSAGES"
sys.path.insert(0, str(ROOT / "tools"))
import wagtail_vi  # noqa: E402


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("quantri", "quantri@example.org", "pw")
    client.force_login(user)
    return client


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def sidebar_labels(html: str) -> set[str]:
    """Every label of the sidebar, which Wagtail renders from JSON with JavaScript."""
    match = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, "no sidebar props on the page"
    labels = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                labels.add(node["label"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(match.group(1)))
    return labels


def assert_vietnamese(html: str, present: list[str], absent: list[str]) -> None:
    for text in present:
        assert escape(text) in html or text in html, f"missing Vietnamese {text!r}"
    for text in absent:
        assert text not in html and escape(text) not in html, f"English {text!r} still shown"


# --- the catalogues themselves ---------------------------------------------------------


def test_table_validates_and_the_catalogues_are_compiled():
    assert wagtail_vi.main(["--check"]) == 0
    for domain in ("django", "djangojs"):
        po = polib.pofile(str(CATALOGUES / f"{domain}.po"))
        mo = polib.mofile(str(CATALOGUES / f"{domain}.mo"))
        assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
        assert {e.msgid for e in po.translated_entries()} == {e.msgid for e in mo if e.msgid}, (
            f"{domain}.mo is out of date: re-run tools/wagtail_vi.py"
        )
        for entry in mo:
            if not entry.msgid:
                continue
            msgstr = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
            assert not wagtail_vi.check_translation(
                entry.msgid, entry.msgid_plural or None, msgstr
            ), entry.msgid


def test_placeholder_guard_rejects_a_broken_translation():
    assert wagtail_vi.check_translation(
        "Page %(page_num)s of %(total_pages)s", None, "Trang %(page_num)s"
    )
    assert wagtail_vi.check_translation(
        "Page %(page_num)s of %(total_pages)s", None, "Trang %(page_num)s/%(total_pages)d"
    )
    assert wagtail_vi.check_translation(
        "<b>'{title}' is locked</b>.", None, "<b>“{tieu_de}” đang bị khóa</b>."
    )
    assert wagtail_vi.check_translation(
        "Used %(usage_count)s time", "Used %(usage_count)s times", "Được dùng"
    )
    assert not wagtail_vi.check_translation("1 page", "%(counter)s pages", "%(counter)s trang")


def test_gettext_uses_our_vietnamese():
    with translation.override("vi"):
        assert translation.gettext("Reports") == "Báo cáo"
        assert translation.gettext("Help") == "Trợ giúp"
        assert translation.gettext("Edit") == "Sửa"
        assert translation.gettext("Delete") == "Xóa"
        assert translation.gettext("Search…") == "Tìm kiếm…"
        assert (
            translation.gettext("%(model_name)s '%(object)s' updated.")
            % {"model_name": "đơn vị", "object": "Xã A"}
            == "Đã cập nhật đơn vị “Xã A”."
        )
        assert (
            translation.ngettext("Used %(usage_count)s time", "Used %(usage_count)s times", 3)
            % {"usage_count": 3}
            == "Được dùng 3 lần"
        )
        # Django's own timesince strings, missing from its Vietnamese catalogue
        assert translation.ngettext("%(num)d minute", "%(num)d minutes", 7) % {"num": 7} == "7 phút"


# --- pages -------------------------------------------------------------------------------


def test_login_page(client, db):
    html = page_text(client.get(reverse("wagtailadmin_login")))
    assert_vietnamese(
        html,
        present=["Đăng nhập", "Quên mật khẩu?", "Ghi nhớ đăng nhập", "Nhập mật khẩu"],
        absent=["Sign in", "Forgotten password?", "Remember me", "Enter password"],
    )


def test_dashboard_sidebar_and_account_menu(admin_client):
    html = page_text(admin_client.get(reverse("wagtailadmin_home")))
    labels = sidebar_labels(html)
    assert {"Báo cáo", "Trợ giúp", "Cài đặt", "Tài khoản", "Đăng xuất"} <= labels, labels
    assert not {"Reports", "Help", "Settings", "Account", "Log out"} & labels
    assert {"Lịch sử hệ thống", "Trang đang khóa", "Phím tắt", "Người dùng", "Nhóm"} <= labels, (
        labels
    )
    assert_vietnamese(
        html,
        present=["Tìm trong tất cả các trang…", "Chuyển đến nội dung chính", "Phím tắt"],
        absent=["Search all pages", "Skip to main content", "Keyboard shortcuts", "Toggle sidebar"],
    )


def test_units_listing_chrome(admin_client):
    province = f.unit("Tỉnh Hà Giang", "province")
    for name in ("Huyện Quản Bạ", "Huyện Yên Minh", "Huyện Đồng Văn"):
        f.unit(name, "district", province)
    html = page_text(admin_client.get("/admin/units/"))
    assert_vietnamese(
        html,
        present=[
            "Tìm kiếm…",
            "Trang 1/1",
            "Sắp xếp theo “",
            "Hiện bộ lọc",
            "Lọc theo",
            "Tùy chọn khác cho “",
        ],
        absent=[
            "Search…",
            "Page 1 of 1",
            "Sort by '",
            "Show filters",
            "Filter by",
            "More options for",
        ],
    )
    empty = page_text(admin_client.get("/admin/units/", {"q": "không có đơn vị này"}))
    assert "Không có" in empty and "match your query" not in empty


def test_edit_history_and_delete_views(admin_client):
    unit = f.unit("Tỉnh Hà Giang", "province")
    edit = page_text(admin_client.get(f"/admin/units/edit/{unit.pk}/"))
    assert_vietnamese(
        edit,
        present=[">Lưu<", "Xem lịch sử", "Trang chủ", "Hãy lưu thay đổi trước khi rời trang"],
        absent=[">Save<", "View history", "Save your changes before leaving"],
    )
    history = page_text(admin_client.get(f"/admin/units/history/{unit.pk}/"))
    assert_vietnamese(history, present=["Lịch sử"], absent=["History"])
    delete = page_text(admin_client.get(f"/admin/units/delete/{unit.pk}/"))
    assert_vietnamese(delete, present=["Xóa"], absent=["Yes, delete", "No, don't delete"])


def test_unresolved_routes_report(admin_client):
    html = page_text(admin_client.get(reverse("scoring_unresolved_routes")))
    assert_vietnamese(
        html,
        present=["Chưa xác định được người đánh giá", "Trang chủ", "Hiện bộ lọc"],
        absent=["Show filters", "Breadcrumb", "Skip to main content"],
    )


def test_users_listing_uses_vietnamese_times(admin_client):
    html = page_text(admin_client.get(reverse("wagtailusers_users:index")))
    assert_vietnamese(
        html,
        present=["Đăng nhập lần cuối", "Vừa xong", "Thêm người dùng"],
        absent=["Last login", "Just now", "minutes ago", "Add a user"],
    )


def test_account_settings(admin_client):
    html = page_text(admin_client.get(reverse("wagtailadmin_account")))
    assert_vietnamese(
        html,
        present=[
            "Ngôn ngữ ưu tiên",
            "Múi giờ hiện tại",
            "Giao diện",
            "Ảnh đại diện",
            "Họ tên và email",
        ],
        absent=["Preferred language", "Current time zone", "Theme preferences", "Name and Email"],
    )


def test_javascript_catalogue_for_the_sidebar(admin_client):
    response = admin_client.get(reverse("wagtailadmin_javascript_catalog"))
    assert response.status_code == 200
    match = re.search(r"const newcatalog = (\{.*?\});", response.content.decode(), re.S)
    assert match, "no catalogue in the JavaScript"
    catalog = json.loads(match.group(1))
    assert catalog["Toggle sidebar"] == "Ẩn/hiện thanh bên"
    assert catalog["Main menu"] == "Trình đơn chính"
    assert catalog["Collapse all"] == "Thu gọn tất cả"
    assert catalog["Dashboard"] == "Trang tổng quan"
    assert catalog["Search"] == "Tìm kiếm"
    assert catalog["Edit"] == "Sửa"
    assert catalog["%(num)s error"] == ["%(num)s lỗi"]
