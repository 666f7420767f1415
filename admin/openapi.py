"""OpenAPI description of the admin API (served at /api/v1/openapi.json)."""

from __future__ import annotations

_FILTERS = [
    {"name": "survey", "in": "query", "schema": {"type": "string", "default": "hizmet"}},
    {"name": "province", "in": "query", "description": "plate code; a province token is "
     "limited to its own", "schema": {"type": "string"}},
    {"name": "service", "in": "query", "schema": {"type": "string"}},
    {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
    {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
    {"name": "include_flagged", "in": "query", "description": "count responses flagged as "
     "automated", "schema": {"type": "boolean", "default": False}},
]
_ERRORS = {
    "401": {"description": "no or bad bearer token"},
    "403": {"description": "the token is limited to another province"},
    "429": {"description": "too many failed sign-ins; see Retry-After"},
}
_CELL = {
    "type": "object",
    "properties": {
        "n": {"type": ["integer", "null"], "description": "null when suppressed"},
        "mean": {"type": ["number", "null"], "description": "overall satisfaction 1-5"},
        "mean_ci95": {"type": ["array", "null"], "items": {"type": "number"}},
        "satisfied_share": {"type": ["number", "null"], "description": "answers 4-5"},
        "satisfied_ci95": {"type": ["array", "null"], "items": {"type": "number"},
                           "description": "Wilson interval"},
        "drivers": {"type": "object", "additionalProperties": {"type": ["number", "null"]},
                    "description": "driver means on 0-100"},
        "effort": {"type": ["number", "null"], "description": "ease 1-7"},
        "suppressed": {"type": "boolean", "description": "fewer than min_cell respondents, "
                       "or hidden so that another small cell cannot be worked out"},
    },
}


def _get(summary: str, parameters: list, content: dict) -> dict:
    return {"get": {"summary": summary, "parameters": parameters, "security": [{"bearer": []}],
                    "responses": {"200": {"description": "OK", "content": content}, **_ERRORS}}}


OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": "İZDES admin API", "version": "1"},
    "servers": [{"url": "/api/v1"}],
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                   "schemas": {"Cell": _CELL}},
    "paths": {
        "/scores": _get(
            "Satisfaction scores grouped by any of province, district, service, month, "
            "channel, region (NUTS-1), link (a muhtar's link) and mahalle (with province and "
            "district: names repeat across the country)",
            [{"name": "group_by", "in": "query", "schema": {"type": "string",
              "default": "province,service"}}, *_FILTERS],
            {"application/json": {"schema": {"type": "object", "properties": {
                "min_cell": {"type": "integer"}, "survey": {"type": "string"},
                "rows": {"type": "array", "items": {"$ref": "#/components/schemas/Cell"}}}}}}),
        "/provinces/{plate}": _get(
            "One province: scores by service and the monthly trend",
            [{"name": "plate", "in": "path", "required": True, "schema": {"type": "string"}},
             _FILTERS[0]],
            {"application/json": {"schema": {"type": "object"}}}),
        "/links": _get(
            "Muhtars' links in the caller's scope, with how many people each reached "
            "(opened, consented, completed); never their stats codes",
            [{"name": "province", "in": "query", "schema": {"type": "string"}}],
            {"application/json": {"schema": {"type": "object"}}}),
        "/comments": _get(
            "Free-text comments (personal data masked when stored), newest first, paged",
            [*_FILTERS, {"name": "page", "in": "query", "schema": {"type": "integer"}},
             {"name": "per_page", "in": "query", "schema": {"type": "integer", "maximum": 100}}],
            {"application/json": {"schema": {"type": "object"}}}),
        "/drivers": _get(
            "Key drivers: each driver's correlation with overall satisfaction, strongest "
            "first (filter by service and province)", _FILTERS,
            {"application/json": {"schema": {"type": "object"}}}),
        "/export.csv": _get(
            "One row per completed response, no respondent identifier, streamed",
            _FILTERS, {"text/csv": {"schema": {"type": "string"}}}),
        "/export.xlsx": _get(
            "The same rows as an Excel workbook (past 1,048,575 rows, on further sheets)",
            _FILTERS,
            {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
             {"schema": {"type": "string", "format": "binary"}}}),
        "/openapi.json": {"get": {"summary": "This description", "security": [{"bearer": []}],
                                  "responses": {"200": {"description": "OK"}, **_ERRORS}}},
    },
}
