"""OpenAPI description of the admin API (served at /api/v1/openapi.json)."""

from __future__ import annotations

from admin.findings_openapi import FINDING, FINDINGS_PATHS

_FILTERS = [
    {"name": "survey", "in": "query", "schema": {"type": "string", "default": "hizmet"}},
    {"name": "province", "in": "query", "description": "plate code; a province token is "
     "limited to its own", "schema": {"type": "string"}},
    {"name": "service", "in": "query", "schema": {"type": "string"}},
    {"name": "period", "in": "query", "description": "a whole period that has ended, of the "
     "kind the deployment publishes (IZDES_PERIOD; the staff survey always by quarter): "
     "2026-11, 2026-Q4 or 2026; default the latest released. There is no from/to: a "
     "request with them is refused (400)",
     "schema": {"type": "string"}},
]
_PROBLEM_SCHEMA = {
    "description": "RFC 9457 problem details: every error has this shape",
    "type": "object", "required": ["type", "title", "status", "detail"],
    "properties": {"type": {"type": "string", "const": "about:blank"},
                   "title": {"type": "string", "description": "the HTTP status phrase"},
                   "status": {"type": "integer"},
                   "detail": {"type": "string", "description": "what was wrong, in a sentence"}},
}
_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
_ERRORS = {
    status: {"description": description, "content": _PROBLEM} for status, description in {
        "400": "a parameter (or body) the API does not accept, with a sentence saying why",
        "401": "no or bad bearer token (a revoked one answers the same)",
        "403": "the token is limited to another province, or is no microdata token, or "
               "the survey is never given out row by row",
        "404": "no such path, or a period not released",
        "413": "a request body over 1 MB",
        "429": "too many failed sign-ins from this address, or too many requests for this "
               "token (IZDES_API_REQUESTS_PER_MINUTE); see Retry-After",
    }.items()
}
_CELL = {
    "type": "object",
    "properties": {
        "n": {"type": ["integer", "null"], "description": "null when suppressed"},
        "mean": {"type": ["number", "null"], "description": "overall satisfaction 1-5"},
        "mean_ci95": {"type": ["array", "null"], "items": {"type": "number"},
                      "description": "t interval; indicative, as every interval here: "
                      "respondents volunteer, they are not a random sample"},
        "satisfied_share": {"type": ["number", "null"], "description": "answers 4-5"},
        "satisfied_ci95": {"type": ["array", "null"], "items": {"type": "number"},
                           "description": "Wilson interval; indicative"},
        "drivers": {"type": "object", "additionalProperties": {"type": ["number", "null"]},
                    "description": "driver means on 0-100"},
        "effort": {"type": ["number", "null"], "description": "ease 1-7"},
        "period": {"type": "string", "description": "the period the cell covers"},
        "suppressed": {"type": "boolean", "description": "fewer than min_cell respondents, "
                       "or hidden so that no small cell can be worked out from any "
                       "combination of published figures (docs/statistics.md)"},
    },
}

_CHANGE = {
    "type": "object",
    "description": "One figure of a cell in two periods. Every field is null but the verdict "
                   "when the cell or the figure is not published in both periods",
    "properties": {
        "before": {"type": ["number", "null"], "description": "in the period compared with"},
        "after": {"type": ["number", "null"], "description": "in the period asked for"},
        "difference": {"type": ["number", "null"], "description": "after minus before"},
        "ci95": {"type": ["array", "null"], "items": {"type": "number"},
                 "description": "95 % interval of the difference, indicative (respondents "
                 "volunteer), not adjusted for the many comparisons: Newcombe's hybrid "
                 "score interval for the share, Welch's for means"},
        "p_value": {"type": ["number", "null"], "description": "two-sided: the pooled "
                    "two-proportion z test for the share, Welch's t test for means"},
        "q_value": {"type": ["number", "null"], "description": "the p-value adjusted by "
                    "Benjamini-Hochberg over every comparison of the response"},
        "test": {"type": ["string", "null"], "enum": ["two-proportion z", "welch", None]},
        "verdict": {"type": "string", "enum": ["better", "worse", "no_clear_change",
                                               "not_tested", "too_few_answers"],
                    "description": "better or worse: q at most 0.05 (the false discovery "
                    "rate controlled at 5 % across the comparisons of the response); "
                    "not_tested: a difference without a test (the ease); too_few_answers: "
                    "hidden, or not shown, in either period"},
    },
}
_CHANGE_ROW = {
    "type": "object",
    "description": "A cell (place fields as in /scores, and service) in both periods",
    "properties": {
        "n_before": {"type": ["integer", "null"], "description": "null unless the cell is "
                     "published in both periods"},
        "n_after": {"type": ["integer", "null"]},
        "satisfied_share": {"$ref": "#/components/schemas/Change"},
        "mean": {"$ref": "#/components/schemas/Change"},
        "drivers": {"type": "object",
                    "additionalProperties": {"$ref": "#/components/schemas/Change"},
                    "description": "on 0-100; tested with the largest spread each published "
                    "mean allows (conservative: the spread of the answers is not published)"},
        "effort": {"$ref": "#/components/schemas/Change"},
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
                   "schemas": {"Cell": _CELL, "Change": _CHANGE, "ChangeRow": _CHANGE_ROW,
                               "Problem": _PROBLEM_SCHEMA, "Finding": FINDING}},
    "paths": {
        "/scores": _get(
            "Satisfaction scores of a released period, grouped by one level of place (region "
            "(NUTS-1), province, district or link, a muhtar's link), by service, and by "
            "period (the twelve periods up to the one asked for). Every cell reads the same "
            "in every table: it was decided once, when its period was released",
            [{"name": "group_by", "in": "query", "schema": {"type": "string",
              "default": "province,service"}}, *_FILTERS],
            {"application/json": {"schema": {"type": "object", "properties": {
                "min_cell": {"type": "integer"}, "survey": {"type": "string"},
                "intervals": {"type": "string", "description": "how to read the intervals: "
                              "indicative, since respondents volunteer (posters, links)"},
                "rows": {"type": "array", "items": {"$ref": "#/components/schemas/Cell"}}}}}}),
        "/changes": _get(
            "What changed: each cell of a released period against the same cell in the "
            "period before (against=previous) or the same period a year earlier "
            "(against=year), both released (404 otherwise): both figures, the difference "
            "with its 95 % interval (indicative: respondents volunteer, they are not a random "
            "sample), a two-sided test and a verdict. The false discovery rate is controlled "
            "with Benjamini-Hochberg at 5 % across the N comparisons of the response "
            "(false_discovery_rate.comparisons). A cell hidden in either period shows no "
            "figure at all",
            [{"name": "group_by", "in": "query", "description": "as /scores, without period",
              "schema": {"type": "string", "default": "province,service"}},
             {"name": "against", "in": "query", "schema": {
                 "type": "string", "enum": ["previous", "year"], "default": "previous"}},
             *_FILTERS],
            {"application/json": {"schema": {"type": "object", "properties": {
                "min_cell": {"type": "integer"}, "survey": {"type": "string"},
                "period": {"type": ["string", "null"]}, "against": {"type": "string"},
                "compared_with": {"type": ["string", "null"],
                                  "description": "the period compared with"},
                "intervals": {"type": "string"},
                "false_discovery_rate": {"type": "object", "properties": {
                    "method": {"const": "Benjamini-Hochberg"}, "level": {"type": "number"},
                    "comparisons": {"type": "integer"}, "note": {"type": "string"}}},
                "notes": {"type": "object"},
                "rows": {"type": "array",
                         "items": {"$ref": "#/components/schemas/ChangeRow"}}}}}}),
        "/provinces/{plate}": _get(
            "One province: scores by service in the period, and the trend of the twelve "
            "periods up to it; with staff, the figures of the staff of the unit that gives "
            "each service (the staff survey's latest released quarter up to the period, "
            "its own cells and smallest cell; null figures where none of them answered)",
            [{"name": "plate", "in": "path", "required": True, "schema": {"type": "string"}},
             _FILTERS[0]],
            {"application/json": {"schema": {"type": "object"}}}),
        "/links": _get(
            "Muhtars' links in the caller's scope, with how many people each reached "
            "(opened, consented, completed: null below min_cell, else rounded down to a "
            "multiple of 5); never their stats codes",
            [{"name": "province", "in": "query", "schema": {"type": "string"}}],
            {"application/json": {"schema": {"type": "object"}}}),
        "/comments": _get(
            "Free-text comments (or a unit's staff's proposals) of the published "
            "province-by-service cells of a period (personal data masked when stored), in "
            "the order of their text, paged; each with a ref made of what is published "
            "about it, never its time",
            [*_FILTERS, {"name": "page", "in": "query", "schema": {"type": "integer"}},
             {"name": "per_page", "in": "query", "schema": {"type": "integer", "maximum": 100}}],
            {"application/json": {"schema": {"type": "object"}}}),
        "/drivers": _get(
            "Key drivers: each driver's correlation with overall satisfaction, strongest "
            "first (filter by service and province)", _FILTERS,
            {"application/json": {"schema": {"type": "object"}}}),
        "/export.csv": _get(
            "The published table of a period: every listed cell in the caller's scope "
            "(Türkiye, regions and provinces; or a province, its districts and links), for "
            "all services and by service, hidden cells without figures",
            _FILTERS, {"text/csv": {"schema": {"type": "string"}}}),
        "/export.xlsx": _get(
            "The same table as an Excel workbook, numbers as numbers",
            _FILTERS,
            {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
             {"schema": {"type": "string", "format": "binary"}}}),
        "/surveys": _get(
            "The citizens' surveys whose figures can be read (the staff's are shown beside "
            "the services): key, title, whether figures are by service, and the drivers' "
            "short names, in Turkish", [],
            {"application/json": {"schema": {"type": "object", "properties": {
                "default": {"type": "string"}, "surveys": {"type": "array", "items": {
                    "type": "object", "properties": {
                        "key": {"type": "string"}, "title": {"type": "string"},
                        "services": {"type": "boolean"},
                        "drivers": {"type": "array", "items": {"type": "object", "properties": {
                            "key": {"type": "string"}, "label": {"type": "string"}}}}}}}}}}}),
        "/report.pdf": _get(
            "The report to the centre as a Turkish A4 PDF for the caller's scope (Türkiye, or "
            "a province): headline figures with intervals, drivers, significant changes, "
            "findings and how the figures were made; released cells only",
            _FILTERS[:2] + _FILTERS[3:],
            {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}),
        "/microdata/responses.csv": _get(
            "Microdata tokens only (403 otherwise): the responses of a released period, one "
            "row each, with their month (no time), districts with fewer than min_cell "
            "respondents left blank, no comments, no respondent identifier; audited with the "
            "token's name and purpose", _FILTERS[:1] + _FILTERS[3:],
            {"text/csv": {"schema": {"type": "string"}}}),
        "/microdata/responses.xlsx": _get(
            "The same rows as an Excel workbook, numbers as numbers", _FILTERS[:1] + _FILTERS[3:],
            {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
             {"schema": {"type": "string", "format": "binary"}}}),
        "/microdata/comments.csv": _get(
            "Microdata tokens only: the period's comments in a file of their own, in the "
            "order of their text, not linked to the responses", _FILTERS[:1] + _FILTERS[3:],
            {"text/csv": {"schema": {"type": "string"}}}),
        "/units": {**_get(
            "Provincial units' invitations to the staff survey (İZDES1) in the caller's "
            "scope, with their links; never a count of a unit's staff",
            [{"name": "province", "in": "query", "schema": {"type": "string"}}],
            {"application/json": {"schema": {"type": "object"}}}), "post": {
            "summary": "Invite one unit: a link of the staff survey that fixes the kind of "
                       "unit and the province; a province token only for its own province",
            "security": [{"bearer": []}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["province", "unit", "name"], "properties": {
                    "province": {"type": "string", "description": "plate code or name"},
                    "unit": {"type": "string", "description": "valilik, emniyet, jandarma, "
                             "sahil_guvenlik, afad, goc, nufus or acil112"},
                    "name": {"type": "string", "description": "the unit as its staff know "
                             "it"},
                    "valid_until": {"type": "string", "format": "date"}}}}}},
            "responses": {"201": {"description": "the invitation, with its link and where its "
                                                 "internal notice is",
                                  "content": {"application/json": {"schema": {
                                      "type": "object"}}}}, **_ERRORS}}},
        "/units/{id}/notice.pdf": _get(
            "A unit's internal notice (kurum içi): A4 with the QR code of its link",
            [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}),
        "/openapi.json": {"get": {"summary": "This description", "security": [{"bearer": []}],
                                  "responses": {"200": {"description": "OK"}, **_ERRORS}}},
        **FINDINGS_PATHS,
    },
}
