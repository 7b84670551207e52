"""The public site's content: two languages by path, the switch links, news, the feed,
the sitemap, search, the menu and footer, and the site's tree built once."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale, Page, PageViewRestriction, Revision

from home.content.models import (
    FooterSettings,
    MenuItem,
    MenuSettings,
    NewsIndexPage,
    NewsPage,
    StandardPage,
)
from home.content.site import default_site, ensure_child, ensure_site, translate
from home.templatetags.news_tags import latest_news
from home.templatetags.site_tags import other_language_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return ensure_site()


@pytest.fixture
def english(home):
    return Locale.objects.get(language_code="en")


@pytest.fixture
def news(home):
    return home.get_children().type(NewsIndexPage).specific().get(slug="tin-tuc")


def article(
    index, slug: str, day: datetime.date, *, live: bool = True, title: str = ""
) -> NewsPage:
    fields = {"title": title or f"Tin {slug}", "date": day, "summary": f"Tóm tắt {slug}"}
    if live:
        return ensure_child(index, NewsPage, slug, fields)
    page = NewsPage(slug=slug, live=False, locale=index.locale, **fields)
    index.add_child(instance=page)
    page.save_revision()
    return page


def make_private(page: Page) -> None:
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="mật")


def body(response) -> str:
    return response.content.decode()


# --- Languages ------------------------------------------------------------------------------


@pytest.mark.parametrize("accept", ["en", "en-GB,en;q=0.9", "vi", ""])
def test_the_root_answers_vietnamese_whatever_the_browser_prefers(client, home, accept):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    assert 'lang="vi"' in body(response)
    assert response["Content-Language"] == "vi"


@pytest.mark.parametrize("accept", ["vi", "vi-VN,vi;q=0.9", "en", ""])
def test_the_english_prefix_answers_english_whatever_the_browser_prefers(client, home, accept):
    response = client.get("/en/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    assert 'lang="en"' in body(response)
    assert response["Content-Language"] == "en"
    assert "Monthly evaluation of cadres" in body(response)


def test_a_language_cookie_does_not_turn_a_public_page_english(client, home):
    client.cookies["django_language"] = "en"
    response = client.get("/tin-tuc/")
    assert 'lang="vi"' in body(response) and "<h1>Tin tức</h1>" in body(response)


def test_the_rating_page_keeps_its_cookie_switch(client, home):
    client.cookies["django_language"] = "en"
    response = client.get("/rate/")
    assert response.status_code == 200
    assert 'lang="en"' in body(response)


def test_the_switcher_form_sends_a_public_page_to_its_english_address(client, home):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/tin-tuc/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/tin-tuc/"


def test_an_unknown_english_address_is_a_translated_404(client, home):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in body(response) and 'lang="en"' in body(response)
    assert 'href="/" lang="vi" hreflang="vi">Tiếng Việt</a>' in body(response)


# --- The language switch ----------------------------------------------------------------------


def test_every_public_page_links_to_the_same_page_in_the_other_language(client, home):
    vietnamese = body(client.get("/gioi-thieu/"))
    assert 'href="/en/gioi-thieu/" lang="en" hreflang="en">English</a>' in vietnamese
    english = body(client.get("/en/gioi-thieu/"))
    assert 'href="/gioi-thieu/" lang="vi" hreflang="vi">Tiếng Việt</a>' in english
    assert 'method="post"' not in vietnamese + english
    assert "csrfmiddlewaretoken" not in vietnamese + english


def test_a_page_without_translation_links_to_the_other_languages_home(client, news):
    ensure_child(news, NewsPage, "chi-tieng-viet", {"title": "Chỉ tiếng Việt", "summary": "x"})
    response = client.get("/tin-tuc/chi-tieng-viet/")
    assert 'href="/en/" lang="en" hreflang="en">English</a>' in body(response)


def test_the_switch_keeps_the_query_of_a_listing(client, news):
    response = client.get("/tin-tuc/?page=2")
    assert 'href="/en/tin-tuc/?page=2"' in body(response)


def _request(path: str):
    request = RequestFactory().get(path)
    request.LANGUAGE_CODE = "vi"
    return request


def test_the_switch_keeps_a_routable_pages_sub_route(news):
    with translation.override("vi"):
        url = other_language_url(_request("/tin-tuc/rss/"), news, "en")
    assert url == "/en/tin-tuc/rss/"


def test_the_sub_route_follows_a_translation_with_another_slug(news, english):
    translated = news.get_translation(english)
    translated.slug = "news"
    translated.save_revision().publish()
    with translation.override("vi"):
        url = other_language_url(_request("/tin-tuc/rss/"), news, "en")
    assert url == "/en/news/rss/"


def test_a_draft_translation_is_not_linked(news, english):
    news.get_translation(english).unpublish()
    with translation.override("vi"):
        assert other_language_url(_request("/tin-tuc/"), news, "en") == "/en/"


def test_the_search_links_to_the_same_search_in_the_other_language(client, home):
    response = client.get("/tim-kiem/?q=quy%E1%BB%81n")
    assert 'href="/en/tim-kiem/?q=quy%E1%BB%81n"' in body(response)


# --- News -----------------------------------------------------------------------------------


def test_the_news_index_lists_live_public_articles_newest_first(client, news):
    article(news, "cu", datetime.date(2026, 9, 1), title="Tin cũ")
    article(news, "moi", datetime.date(2026, 10, 1), title="Tin mới")
    article(news, "nhap", datetime.date(2026, 11, 1), live=False, title="Bản nháp")
    make_private(article(news, "rieng", datetime.date(2026, 11, 2), title="Tin nội bộ"))
    page = body(client.get("/tin-tuc/"))
    assert page.index("Tin mới") < page.index("Tin cũ")
    assert "Bản nháp" not in page and "Tin nội bộ" not in page


@pytest.fixture
def twelve(news):
    start = datetime.date(2026, 1, 1)
    return [article(news, f"tin-{n:02d}", start + datetime.timedelta(days=n)) for n in range(12)]


@pytest.mark.parametrize(
    ("query", "first", "count"),
    [
        ("", "tin-11", 10),
        ("?page=2", "tin-01", 2),
        ("?page=99", "tin-01", 2),
        ("?page=abc", "tin-11", 10),
        ("?page=0", "tin-01", 2),
        ("?page=-3", "tin-01", 2),
    ],
)
def test_the_news_index_pages_by_ten_and_any_page_number_answers(
    client, twelve, query, first, count
):
    response = client.get(f"/tin-tuc/{query}")
    assert response.status_code == 200
    listed = response.context["articles"]
    assert len(listed) == count and listed[0].slug == first


def test_the_pagination_links_the_next_page(client, twelve):
    page = body(client.get("/tin-tuc/"))
    assert 'href="?page=2" rel="next"' in page and "1 / 2" not in page


def _index_queries(client, fresh: str) -> int:
    """Queries of the news index rendered afresh (a new query string misses the page
    cache; the release state and the site's root paths stay cached, as in production)."""
    client.get("/gioi-thieu/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/tin-tuc/?fresh={fresh}").status_code == 200
    return len(queries)


def test_the_news_index_queries_do_not_grow_with_its_articles(client, news):
    for n in range(2):
        article(news, f"a-{n}", datetime.date(2026, 5, 1 + n))
    with_two = _index_queries(client, "two")
    for n in range(2, 12):
        article(news, f"a-{n}", datetime.date(2026, 5, 1 + n))
    with_twelve = _index_queries(client, "twelve")
    assert with_two == with_twelve
    # Wagtail's routing and view-restriction check take 7; the count, the list, the
    # page's own restriction check, the switch, the menu and the footer one each.
    assert with_twelve <= 13


def test_a_news_page_renders_its_blocks(client, news, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo_site", stdout=io.StringIO())
    page = body(client.get("/tin-tuc/khao-sat-su-hai-long-thang-10-2026/"))
    assert "<figure" in page and 'alt="Biểu đồ cột: 90% hài lòng' in page
    assert "<blockquote>" in page and "/documents/" in page and "(CSV, " in page
    english = body(client.get("/en/tin-tuc/khao-sat-su-hai-long-thang-10-2026/"))
    assert "Citizens&#x27; satisfaction survey" in english and 'alt="Bar chart' in english
    table = body(client.get("/en/tin-tuc/lich-cong-bo-ket-qua-quy-iv-2026/"))
    assert '<th scope="col"' in table and "Release date" in table


def test_a_news_page_only_lives_under_a_news_index():
    assert NewsPage.allowed_parent_page_models() == [NewsIndexPage]
    assert NewsPage not in StandardPage.allowed_subpage_models()


def test_the_feed_lists_live_public_articles_of_its_language(client, news, english):
    live = article(news, "co-tin", datetime.date(2026, 10, 1), title="Tin công khai")
    translate(live, english, {"title": "Public news"})
    article(news, "nhap", datetime.date(2026, 11, 1), live=False, title="Bản nháp")
    make_private(article(news, "rieng", datetime.date(2026, 11, 2), title="Tin nội bộ"))
    feed = client.get("/tin-tuc/rss/")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/rss+xml")
    text = body(feed)
    assert "Tin công khai" in text and "Bản nháp" not in text and "Tin nội bộ" not in text
    assert "<language>vi</language>" in text and "Public news" not in text
    english_feed = body(client.get("/en/tin-tuc/rss/"))
    assert "Public news" in english_feed and "/en/tin-tuc/co-tin/" in english_feed


def test_latest_news_gives_the_current_languages_live_articles_in_one_query(
    news, english, django_assert_num_queries
):
    old = article(news, "cu", datetime.date(2026, 9, 1))
    new = article(news, "moi", datetime.date(2026, 10, 1))
    article(news, "nhap", datetime.date(2026, 11, 1), live=False)
    make_private(article(news, "rieng", datetime.date(2026, 11, 2)))
    translate(old, english, {"title": "Old news"})
    with translation.override("vi"), django_assert_num_queries(1):
        assert [page.pk for page in latest_news({}, 3)] == [new.pk, old.pk]
    with translation.override("en"):
        assert [page.title for page in latest_news({}, 3)] == ["Old news"]
    with translation.override("vi"):
        assert [page.pk for page in latest_news({}, 1)] == [new.pk]


def test_the_home_page_tag_keeps_its_signature(news):
    article(news, "moi", datetime.date(2026, 10, 1), title="Tin mới nhất")
    template = Template(
        "{% load news_tags %}{% latest_news 3 as items %}"
        "{% for n in items %}{{ n.title }}{% endfor %}"
    )
    with translation.override("vi"):
        assert template.render(Context({})) == "Tin mới nhất"


# --- Sitemap and search -----------------------------------------------------------------------


def test_the_sitemap_lists_both_languages_and_no_draft_or_private_page(client, news):
    article(news, "nhap", datetime.date(2026, 11, 1), live=False)
    make_private(article(news, "rieng", datetime.date(2026, 11, 2)))
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    text = body(response)
    for path in ("/tin-tuc/", "/en/tin-tuc/", "/gioi-thieu/", "/en/privacy/", "/en/"):
        assert f"<loc>http://localhost{path}</loc>" in text
    assert "/nhap/" not in text and "/rieng/" not in text


def test_search_finds_live_public_pages_of_the_paths_language_only(client, news, english):
    found = article(news, "hai-long", datetime.date(2026, 10, 1), title="Khảo sát hài lòng")
    translate(found, english, {"title": "Satisfaction survey", "summary": "Survey"})
    article(news, "nhap", datetime.date(2026, 11, 1), live=False, title="Khảo sát nháp")
    make_private(article(news, "rieng", datetime.date(2026, 11, 2), title="Khảo sát nội bộ"))
    response = client.get("/tim-kiem/", {"q": "khảo sát"})
    assert response.status_code == 200
    assert [page.pk for page in response.context["results"]] == [found.pk]
    english_results = client.get("/en/tim-kiem/", {"q": "survey"}).context["results"]
    assert [page.title for page in english_results] == ["Satisfaction survey"]


@pytest.mark.parametrize(
    "query",
    ["", "   ", "'\"<>;--", "a" * 5000, "%", "*", "OR AND NOT", "()[]{}", "\u200b", "tin?page=x"],
)
def test_search_answers_any_query_without_error(client, home, query):
    response = client.get("/tim-kiem/", {"q": query, "page": "zzz"})
    assert response.status_code == 200
    assert "<h1>Tìm kiếm</h1>" in body(response)


def test_a_nul_in_the_search_is_refused_with_a_400(client, home):
    assert client.get("/tim-kiem/?q=a%00b").status_code == 400


# --- Menu and footer ------------------------------------------------------------------------


def test_the_menu_and_footer_come_from_the_settings(client, home):
    site = default_site()
    menu = MenuSettings.for_site(site)
    MenuItem.objects.create(
        menu=menu,
        url="https://dichvucong.gov.vn/",
        label="Dịch vụ công",
        label_en="Public services",
        sort_order=9,
    )
    footer = FooterSettings.for_site(site)
    footer.address, footer.address_en = "Số 1 đường Ba Tháng Hai", "1 Third of February street"
    footer.save()
    vietnamese = body(client.get("/"))
    assert '<a href="https://dichvucong.gov.vn/">Dịch vụ công</a>' in vietnamese
    assert '<a href="/tin-tuc/">Tin tức</a>' in vietnamese
    assert "Số 1 đường Ba Tháng Hai" in vietnamese
    english = body(client.get("/en/"))
    assert '<a href="https://dichvucong.gov.vn/">Public services</a>' in english
    assert '<a href="/en/tin-tuc/">News</a>' in english
    assert "1 Third of February street" in english


def test_the_current_page_is_marked_in_the_menu(client, home):
    assert '<a href="/tin-tuc/" aria-current="page">Tin tức</a>' in body(client.get("/tin-tuc/"))


def test_a_menu_page_without_a_live_translation_is_left_out_in_english(client, home, english):
    about = home.get_children().get(slug="gioi-thieu")
    about.get_translation(english).unpublish()
    assert '<a href="/gioi-thieu/">Giới thiệu</a>' in body(client.get("/"))
    assert "gioi-thieu" not in body(client.get("/en/")).split("</header>")[0].split("site-menu")[1]


def test_the_frame_is_light_and_has_its_landmarks(client, home):
    page = body(client.get("/en/gioi-thieu/"))
    assert '<a class="skip-link" href="#main">' in page and '<main id="main"' in page
    assert "<header" in page and "<footer" in page and "<nav" in page
    assert "style=" not in page and "<script" not in page
    assert len(page.encode()) < 150_000


# --- The tree and the cache -----------------------------------------------------------------


def _snapshot():
    footer = FooterSettings.for_site(default_site())
    return (
        list(
            Page.objects.order_by("pk").values_list(
                "pk", "path", "slug", "live", "locale_id", "title"
            )
        ),
        Revision.objects.count(),
        list(MenuItem.objects.values_list("pk", "page_id", "sort_order")),
        [getattr(footer, name) for name in ("publisher", "address", "licence", "licence_en")],
    )


def test_ensure_site_twice_changes_nothing(home):
    before = _snapshot()
    assert ensure_site().pk == home.pk
    assert _snapshot() == before
    assert Page.objects.filter(locale__language_code="en", live=True).count() == 6


def test_ensure_site_keeps_an_editors_changes(home):
    about = home.get_children().get(slug="gioi-thieu").specific
    about.title = "Về cổng"
    about.save_revision().publish()
    MenuItem.objects.all().delete()
    MenuItem.objects.create(menu=MenuSettings.for_site(default_site()), page=about, sort_order=0)
    ensure_site()
    assert Page.objects.get(pk=about.pk).title == "Về cổng"
    assert MenuItem.objects.count() == 1


def test_seed_demo_site_twice_makes_each_article_once(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo_site", stdout=io.StringIO())
    counts = (NewsPage.objects.count(), Revision.objects.count())
    call_command("seed_demo_site", stdout=io.StringIO())
    assert (NewsPage.objects.count(), Revision.objects.count()) == counts
    assert NewsPage.objects.filter(locale__language_code="vi", live=True).count() == 5
    assert NewsPage.objects.filter(locale__language_code="en", live=True).count() == 5


def test_publishing_an_article_refreshes_the_cached_index(client, news):
    assert "Tin vừa đăng" not in body(client.get("/tin-tuc/"))
    assert client.get("/tin-tuc/").status_code == 200  # now answered from the cache
    article(news, "vua-dang", datetime.date(2026, 12, 1), title="Tin vừa đăng")
    assert "Tin vừa đăng" in body(client.get("/tin-tuc/"))


def test_a_private_page_is_never_cached(client, news):
    secret = article(news, "rieng", datetime.date(2026, 11, 2), title="Tin nội bộ")
    make_private(secret)
    response = client.get("/tin-tuc/rieng/")
    assert "Tin nội bộ" not in body(response)
    assert "ETag" not in response


# --- Editors --------------------------------------------------------------------------------


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("bientap", "bt@example.org", "x")


def test_an_editor_translates_a_news_page_with_the_admins_translate_action(
    client, editor, news, english
):
    original = article(news, "thong-bao", datetime.date(2026, 11, 1), title="Thông báo")
    client.force_login(editor)
    url = f"/admin/translation/submit/page/{original.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"locales": [english.pk]})
    assert response.status_code == 302
    translated = original.get_translation(english).specific
    assert not translated.live and translated.url_path.endswith("/tin-tuc/thong-bao/")
    translated.title = "Notice"
    translated.save_revision().publish()
    client.logout()
    assert "<h1>Notice</h1>" in body(client.get("/en/tin-tuc/thong-bao/"))


def test_the_menu_and_footer_are_edited_in_the_admins_settings(client, editor, home):
    client.force_login(editor)
    site = default_site()
    for model in ("menusettings", "footersettings"):
        assert client.get(f"/admin/settings/home/{model}/{site.pk}/").status_code == 200
