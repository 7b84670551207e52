"""The site's tree: the home page, the news, the about and privacy pages, the results
pages, their English translations, and the default menu and footer.

:func:`ensure_site` is safe to run any number of times: it creates what is missing and
changes nothing that exists, so an editor's changes are kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from wagtail.models import Collection, Locale, Page, Site

from home.results.models import HomePage
from home.results.setup import ensure_results_pages, titles_in

from .models import (
    FooterSettings,
    MenuItem,
    MenuSettings,
    NewsIndexPage,
    PrivacyPage,
    StandardPage,
)
from .privacy import SLUGS

ENGLISH = "en"


def _paragraphs(*texts: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in texts]


ABOUT = {
    "vi": {
        "title": "Giới thiệu",
        "introduction": (
            "Cổng công khai kết quả đánh giá, xếp loại chất lượng cán bộ, công chức, viên "
            "chức hằng tháng và mức độ hài lòng của người dân."
        ),
        "body": _paragraphs(
            "Mỗi tháng, từng người đăng ký kế hoạch công tác, tự chấm điểm theo bộ tiêu chí; "
            "người có thẩm quyền đánh giá chấm điểm cuối cùng và xếp loại. Khi tháng đã "
            "được khóa và phê duyệt công bố, kết quả tổng hợp của từng đơn vị được đăng tại "
            "đây, cùng dữ liệu mở.",
            "Người dân được phục vụ tại bộ phận một cửa đánh giá mức độ hài lòng bằng mã in "
            "trên phiếu hẹn hoặc tại máy đánh giá đặt ở bộ phận.",
        ),
    },
    "en": {
        "title": "About",
        "introduction": (
            "The portal that publishes each month's evaluation and classification of cadres, "
            "civil servants and public employees, and the citizens' satisfaction."
        ),
        "body": _paragraphs(
            "Each month every person registers a work plan and scores themselves on a "
            "criteria sheet; their evaluator sets the final score and the level. Once the "
            "month is locked and its release approved, each unit's aggregate results are "
            "published here, with open data.",
            "Citizens served at a one-stop desk rate their satisfaction with the code "
            "printed on their receipt or at the desk's kiosk.",
        ),
    },
}
NEWS = {
    "vi": {"title": "Tin tức", "introduction": "Thông báo và báo cáo của địa phương."},
    "en": {"title": "News", "introduction": "The locality's notices and reports."},
}
HOME_EN = {
    "title": "Monthly evaluation of cadres, civil servants and public employees",
    "intro": (
        "<p>The monthly evaluation results of each agency and unit and the citizens' "
        "satisfaction are published here.</p>"
    ),
}


PRIVACY = {
    "vi": {
        "title": "Quyền riêng tư",
        "introduction": "Cổng lưu những gì, trong bao lâu, ai được xem và công bố những gì.",
    },
    "en": {
        "title": "Privacy",
        "introduction": "What the portal stores, for how long, who sees it and what it publishes.",
        "slug": SLUGS[ENGLISH],
    },
}


# slug: (page model, Vietnamese fields, English fields)
PAGES = {
    "tin-tuc": (NewsIndexPage, NEWS["vi"], NEWS["en"]),
    "gioi-thieu": (StandardPage, ABOUT["vi"], ABOUT["en"]),
    SLUGS["vi"]: (PrivacyPage, PRIVACY["vi"], PRIVACY["en"]),
}
MENU = ["tin-tuc", "gioi-thieu"]
FOOTER = {
    "publisher": "Cơ quan tổ chức – nội vụ",
    "publisher_en": "Home-affairs office",
    "address": "Địa chỉ của cơ quan nội vụ (sửa trong Cài đặt → Chân trang)",
    "address_en": "The home-affairs office's address (set in Settings → Footer)",
    "contact": "Điện thoại, thư điện tử của bộ phận tiếp nhận ý kiến",
    "contact_en": "Telephone and e-mail of the desk that hears citizens",
    "licence": (
        "Số liệu công bố được phép sử dụng lại theo giấy phép Creative Commons Ghi công 4.0 "
        "(CC BY 4.0), ghi rõ nguồn."
    ),
    "licence_en": (
        "The published figures may be reused under the Creative Commons Attribution 4.0 "
        "licence (CC BY 4.0), naming the source."
    ),
}


HOME_TITLE = "Cổng đánh giá, xếp loại cán bộ, công chức, viên chức hằng tháng"


def default_site() -> Site:
    """The default site; on a database without one (emptied, say) the tree's root, the
    home page and the site are made as the migrations make them."""
    site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
    if site is not None:
        return site
    locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    home = HomePage(title=HOME_TITLE, slug="home", locale=locale)
    root.add_child(instance=home)
    home.save_revision().publish()
    return Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)


def ensure_child(parent: Page, model, slug: str, fields: dict) -> Page:
    """The live child ``slug`` of ``parent``, created and published when missing."""
    existing = parent.get_children().filter(slug=slug).specific().first()
    if existing is not None:
        return existing
    page = model(slug=slug, locale=parent.locale, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def translate(page: Page, locale: Locale, fields: dict | None = None) -> Page:
    """The translation of ``page`` into ``locale``, created when missing (its parent
    must be translated already) with ``fields`` written over the copied content, and
    published when ``page`` is live. An existing translation is left as editors made it."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    translated = page.specific.copy_for_translation(locale)
    for name, value in (fields or {}).items():
        setattr(translated, name, value)
    if fields and "title" in fields:
        translated.draft_title = fields["title"]
    translated.save()
    revision = translated.save_revision()
    if page.live:
        revision.publish()
    return translated


def translate_tree(home: Page, locale: Locale, english: dict[int, dict]) -> None:
    """Translate every page from ``home`` down, parents first; ``english`` gives the
    English fields of some pages by the source page's id."""
    for page in home.get_descendants(inclusive=True).filter(locale=home.locale).order_by("path"):
        translate(page, locale, english.get(page.pk))


def ensure_menu(site: Site, pages: list[Page]) -> None:
    """Fill the menu with ``pages`` when it has no entry yet."""
    menu = MenuSettings.for_site(site)
    if MenuItem.objects.filter(menu=menu).exists():
        return
    MenuItem.objects.bulk_create(
        MenuItem(menu=menu, page=page, sort_order=order) for order, page in enumerate(pages)
    )


def ensure_footer(site: Site) -> None:
    """Fill the footer with the defaults when it is empty."""
    footer = FooterSettings.for_site(site)
    if any(getattr(footer, name) for name in FOOTER):
        return
    for name, value in FOOTER.items():
        setattr(footer, name, value)
    footer.save()


@transaction.atomic
def ensure_site() -> Page:
    """Build what the public site needs (see the module's docstring); return the
    Vietnamese home page."""
    english, _created = Locale.objects.get_or_create(language_code=ENGLISH)
    site = default_site()
    home = site.root_page.specific
    made = {slug: ensure_child(home, model, slug, vi) for slug, (model, vi, _en) in PAGES.items()}
    results = ensure_results_pages(home)
    texts = {made[slug].pk: en for slug, (_model, _vi, en) in PAGES.items()}
    texts[home.pk] = HOME_EN
    texts.update(titles_in(ENGLISH, results))
    translate_tree(home, english, texts)
    ensure_menu(site, [*[made[slug] for slug in MENU], *results, made[SLUGS["vi"]]])
    ensure_footer(site)
    return home
