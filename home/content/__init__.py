"""Editors' content: news, standard pages, the menu and footer, languages."""
