"""The OpenAPI 3.1 document of the open data, generated from the field lists
(:mod:`home.opendata.fields`), so that it describes exactly what the answers hold."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from .fields import PERIOD_FIELDS, RELEASE_FIELDS, UNIT_FIELDS, Field

PREFIX = "/api/v1"
REF = "#/components/schemas/"


def _object(fields: list[Field], description: str, **extra: dict) -> dict:
    properties = {field.name: field.schema() for field in fields} | extra
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _ref(name: str) -> dict:
    return {"$ref": REF + name}


def _components() -> dict:
    common = {"licence": _ref("Licence"), "suppression": _ref("Suppression")}
    return {
        "schemas": {
            "Period": _object(PERIOD_FIELDS, _("A released month, as its latest release.")),
            "Unit": _object(UNIT_FIELDS, _("One unit's figures in a released month.")),
            "PeriodList": _object(
                [],
                _("The released months, newest first."),
                **common,
                periods={"type": "array", "items": _ref("Period")},
            ),
            "UnitList": _object(
                RELEASE_FIELDS,
                _("The units of one release of a month."),
                **common,
                units={"type": "array", "items": _ref("Unit")},
            ),
            "Licence": {
                "type": "object",
                "description": _("The licence of the data."),
                "properties": {
                    "name": {"type": "string"},
                    "identifier": {"type": "string", "description": _("An SPDX identifier.")},
                    "url": {"type": "string", "format": "uri"},
                },
                "required": ["name", "url"],
            },
            "Suppression": {
                "type": "object",
                "description": _("How small figures are hidden to protect people."),
                "properties": {
                    "minimum": {
                        "type": "integer",
                        "description": _("Figures about fewer people or ratings are null."),
                    },
                    "rule": {
                        "type": "object",
                        "description": _("The rule in words, by language code."),
                        "additionalProperties": {"type": "string"},
                    },
                },
                "required": ["minimum", "rule"],
                "additionalProperties": False,
            },
            "Error": {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
                "additionalProperties": False,
            },
        },
        "parameters": {
            "format": {
                "name": "format",
                "in": "query",
                "required": False,
                "description": _("json (the default) or csv (UTF-8 with a byte-order mark)."),
                "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"},
            },
        },
        "headers": {
            "ETag": {"schema": {"type": "string"}, "description": _("Changes with each release.")},
            "Last-Modified": {
                "schema": {"type": "string"},
                "description": _("When the release became public."),
            },
        },
    }


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _answer(schema_name: str, fields: list[Field], description: str) -> dict:
    headers = {"ETag": {"$ref": "#/components/headers/ETag"}}
    headers["Last-Modified"] = {"$ref": "#/components/headers/Last-Modified"}
    csv_header = ",".join(field.name for field in fields)
    return {
        "description": description,
        "headers": headers,
        "content": {
            "application/json": {"schema": _ref(schema_name)},
            "text/csv": {
                "schema": {
                    "type": "string",
                    "description": _("Header row: %(fields)s") % {"fields": csv_header},
                }
            },
        },
    }


def _not_modified() -> dict:
    return {"description": _("Not modified since the ETag or date the client holds.")}


def _paths() -> dict:
    bad_format = _error(_("An unknown format was asked for."))
    not_found = _error(
        _("No released month or release at this address (the same for every unreleased one).")
    )
    return {
        f"{PREFIX}/periods/": {
            "get": {
                "operationId": "listPeriods",
                "summary": _("The released months"),
                "parameters": [{"$ref": "#/components/parameters/format"}],
                "responses": {
                    "200": _answer("PeriodList", PERIOD_FIELDS, _("The released months.")),
                    "304": _not_modified(),
                    "400": bad_format,
                },
            }
        },
        f"{PREFIX}/periods/{{period}}/units/": {
            "get": {
                "operationId": "listUnits",
                "summary": _("The units of a released month"),
                "parameters": [
                    {
                        "name": "period",
                        "in": "path",
                        "required": True,
                        "description": _("The month, as YYYY-MM."),
                        "schema": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                    },
                    {
                        "name": "release",
                        "in": "query",
                        "required": False,
                        "description": _("An earlier release of the month; the latest if absent."),
                        "schema": {"type": "integer", "minimum": 1, "maximum": 99999},
                    },
                    {"$ref": "#/components/parameters/format"},
                ],
                "responses": {
                    "200": _answer("UnitList", UNIT_FIELDS, _("The month's units.")),
                    "304": _not_modified(),
                    "400": bad_format,
                    "404": not_found,
                },
            }
        },
        f"{PREFIX}/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": _("This document"),
                "responses": {
                    "200": {
                        "description": _("The OpenAPI document."),
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "304": _not_modified(),
                },
            }
        },
    }


def document() -> dict:
    """The OpenAPI 3.1 document, in the active language."""
    licence = settings.OPEN_DATA_LICENCE
    return {
        "openapi": "3.1.0",
        "info": {
            "title": _("Open data of the monthly scoring portal"),
            "version": "1",
            "description": _(
                "The monthly results of the locality's units and citizens' ratings of "
                "its one-stop desks, as released. Only released months appear. Every "
                "answer may be read from any origin and revalidated with ETag or "
                "Last-Modified."
            ),
            "license": {"name": licence["name"], "url": licence["url"]},
        },
        "paths": _paths(),
        "components": _components(),
    }
