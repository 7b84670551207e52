"""Counts on the pages read as people write them: 20.000 in Vietnamese, 20,000 in English."""

from django.template import Context, Template
from django.utils import translation


def shown(value, language: str) -> str:
    template = Template("{% load scoring_numbers %}{{ value|grouped }}")
    with translation.override(language):
        return template.render(Context({"value": value}))


def test_a_count_is_grouped_in_the_readers_language():
    assert shown(20000, "vi") == "20.000"
    assert shown(20000, "en") == "20,000"
    assert shown(7, "vi") == "7"
    assert shown("", "vi") == ""
