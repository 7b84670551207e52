"""Forms of the citizen rating pages: the rating itself, the short code, the kiosk secret.

The rating form is built from the question set in force on the receipt's date, one
required choice per question on the set's 3- or 5-level scale (the best level is the
highest number, as :func:`scoring.ratings.rating.check_answers` counts it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from scoring.models import CitizenRating, QuestionSet

# Level → (word, face) for each scale, best first as the citizen reads them.
LEVELS = {
    3: [
        (3, _("Very satisfied"), "face-great"),
        (2, _("Satisfied"), "face-good"),
        (1, _("Not satisfied"), "face-bad"),
    ],
    5: [
        (5, _("Very satisfied"), "face-great"),
        (4, _("Satisfied"), "face-good"),
        (3, _("Neutral"), "face-neutral"),
        (2, _("Not satisfied"), "face-bad"),
        (1, _("Very dissatisfied"), "face-awful"),
    ],
}

HONEYPOT = "website"
WEB_CHANNELS = [CitizenRating.Channel.LINK, CitizenRating.Channel.CODE]


@dataclass
class Level:
    """One answer of one question, as the template draws it: a radio card with a face."""

    value: int
    word: str
    face: str
    input_id: str
    checked: bool


@dataclass
class QuestionRow:
    field: forms.BoundField
    text: str
    levels: list[Level]


class RatingForm(forms.Form):
    """A rating of one receipt; answers are kept by question code.

    ``channel`` says how the citizen came (link or typed code; the kiosk sets its own),
    and is checked against ``channels`` so a visitor cannot claim another one. The
    ``website`` field is a honeypot: people never see it, simple bots fill it in.
    """

    comment = forms.CharField(
        label=_("Anything else you would like to tell us? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    channel = forms.ChoiceField(widget=forms.HiddenInput)
    website = forms.CharField(required=False)

    def __init__(
        self,
        question_set: QuestionSet,
        *args,
        channels: list[str] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.question_set = question_set
        self.questions = list(question_set.questions.all())
        english = (get_language() or "").startswith("en")
        choices = [(str(value), word) for value, word, _face in LEVELS[question_set.scale]]
        for question in self.questions:
            self.fields[question.code] = forms.ChoiceField(
                label=question.text_en if english else question.text_vi,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Please choose one answer."),
                    "invalid_choice": _("Please choose one of the answers shown."),
                },
            )
        allowed = channels or WEB_CHANNELS
        self.fields["channel"].choices = [(str(c), str(c)) for c in allowed]
        self.fields["channel"].initial = str(allowed[0])
        max_length = settings.RATING_COMMENT_MAX_LENGTH
        self.fields["comment"].max_length = max_length
        self.fields["comment"].validators.append(MaxLengthValidator(max_length))
        self.fields["comment"].widget.attrs["maxlength"] = str(max_length)

    def question_rows(self) -> list[QuestionRow]:
        """Each question with its answers drawn as faces with words."""
        rows = []
        for question in self.questions:
            bound = self[question.code]
            current = str(bound.value() or "")
            levels = [
                Level(value, str(word), face, f"q-{question.code}-{value}", current == str(value))
                for value, word, face in LEVELS[self.question_set.scale]
            ]
            rows.append(QuestionRow(bound, bound.label, levels))
        return rows

    def answers(self) -> dict[str, str]:
        return {question.code: self.cleaned_data[question.code] for question in self.questions}


class CodeForm(forms.Form):
    """The short code printed on the receipt, typed by hand (case, spaces, dashes ignored)."""

    code = forms.CharField(
        label=_("Rating code on your receipt"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "ABCD-EFGH",
            }
        ),
    )


class KioskSetupForm(forms.Form):
    """The desk's kiosk secret, entered once on the counter tablet."""

    secret = forms.CharField(
        label=_("Kiosk secret of the desk"),
        max_length=100,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
