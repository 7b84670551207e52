"""Password rules: Django's validators, with the length rule's words of our own.

Django 5.2 changed the length rule's message and its Vietnamese catalogue still has the
old one, so the message would show in English; this validator says it in our catalogue.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short: it needs at least %(min_length)d character.",
            "This password is too short: it needs at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return ngettext(
            "Your password needs at least %(min_length)d character.",
            "Your password needs at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
