"""OpenAPI description of the findings register (admin/findings_api.py); admin/openapi.py
adds it to the API's."""

from __future__ import annotations

_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
_ERRORS = {
    status: {"description": description, "content": _PROBLEM} for status, description in {
        "400": "a field or parameter the API does not accept, with a sentence saying why "
               "(a hidden or unreleased cell, a move without what it needs, ...)",
        "401": "no or bad bearer token (a revoked one answers the same)",
        "403": "the token is limited to another province, or only the ministry may do this",
        "404": "no such finding, or one of a province this token may not see (the same "
               "answer: a number does not tell that a finding exists)",
        "409": "the change does not fit the finding as it stands (a move its status does not "
               "have, a second report to the centre, a proposal for a closed finding)",
        "413": "a request body over 1 MB",
        "429": "too many failed sign-ins from this address, or too many requests for this "
               "token; see Retry-After",
    }.items()
}
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
_FINDING_REF = {"$ref": "#/components/schemas/Finding"}
_TEXT = {"type": "string", "maxLength": 4000}
_DAY = {"type": "string", "format": "date"}
_MOMENT = {"type": ["string", "null"], "format": "date-time"}
STATUSES = ["open", "action_taken", "re_evaluated", "closed"]
_CHANGE = {"type": ["object", "null"], "description": "after minus before with its 95 % "
           "interval and two-sided test; null when a window has nothing published to compare",
           "properties": {"before": {"type": "number"}, "after": {"type": "number"},
                          "difference": {"type": "number"},
                          "ci95": {"type": ["array", "null"], "items": {"type": "number"}},
                          "p_value": {"type": ["number", "null"]},
                          "test": {"type": ["string", "null"]}}}

FINDING = {
    "type": "object",
    "description": "A finding about one published cell. In a list without evidence, "
                   "proposals and history",
    "properties": {
        "id": {"type": "integer"}, "survey": {"type": "string"}, "period": {"type": "string"},
        "province": {"type": "string"}, "province_name": {"type": "string"},
        "district": {"type": ["string", "null"]}, "district_name": {"type": ["string", "null"]},
        "service": {"type": ["string", "null"], "description": "null: all services"},
        "drivers": {"type": "array", "items": {"type": "string"}},
        "problem": {"type": "string"}, "responsible_unit": {"type": "string"},
        "due_date": _DAY, "overdue": {"type": "boolean",
                                      "description": "due date passed and not closed"},
        "status": {"enum": STATUSES},
        "raised_by": {"enum": ["province", "ministry"]},
        "created_at": _MOMENT, "created_by": {"type": "string"}, "updated_at": _MOMENT,
        "action_date": {"type": ["string", "null"], "format": "date"},
        "action": {"type": ["string", "null"]}, "re_evaluated_at": _MOMENT,
        "re_evaluation_note": {"type": ["string", "null"]},
        "re_evaluation_result": {"type": ["object", "null"]},
        "closed_at": _MOMENT, "closed_as": {"enum": ["done", "not_actionable", None]},
        "closing_note": {"type": ["string", "null"]},
        "reopen_note": {"type": ["string", "null"]},
        "reported_at": _MOMENT, "reported_by": {"type": ["string", "null"]},
        "evidence": {"type": "object", "description": "the cell as published when the "
                     "finding was made (survey, period, place, service, min_cell, "
                     "released_at, figures as in a Cell), never changed afterwards"},
        "proposals": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "text": {"type": "string"},
            "source": {"type": "string", "description": "analyst, or where else it came from"},
            "source_ref": {"type": ["string", "null"]}, "added_by": {"type": "string"},
            "added_at": _MOMENT}}},
        "history": {"type": "array", "items": {"type": "object", "properties": {
            "at": _MOMENT, "actor": {"type": "string"}, "via": {"enum": ["api", "cli"]},
            "token_id": {"type": ["integer", "null"], "description": "the token that made "
                         "the change; null for a province token when it was not its own"},
            "action": {"enum": ["created", "proposal_added", "status", "reported"]},
            "changes": {"type": "object", "description": "each changed field: {before, after}"},
        }}},
        "re_evaluation": {"type": ["object", "null"], "description": "computed when the "
                          "finding is read: the cell in k whole released periods after the "
                          "action's period against the k before it (k at most 3 months or "
                          "1 quarter or year), pooled from published cells only; null until "
                          "there is an action date and a period released since (see "
                          "re_evaluation_reason)", "properties": {
            "action_period": {"type": "string"},
            "windows": {"type": "object", "description": "before and after: {periods, "
                        "pooled (published), left_out (hidden or absent), n}"},
            "satisfied_share": _CHANGE, "mean": _CHANGE,
            "drivers": {"type": "object", "additionalProperties": _CHANGE},
            "alpha": {"type": "number"},
            "verdict": {"enum": ["improved", "no_measurable_change", "worse",
                                 "not_enough_answers"]},
            "detectable_change": {"type": "number"}, "power": {"type": "number"},
            "needed_per_window": {"type": ["integer", "null"], "description": "answers a "
                                  "window needs to detect detectable_change in the share "
                                  "satisfied with this power"},
            "answers_needed": {"type": ["integer", "null"], "description": "with "
                               "not_enough_answers, what the window after still lacks of "
                               "that; 0 with any other verdict"},
            "note": {"type": "string"}}},
        "re_evaluation_reason": {"type": ["string", "null"],
                                 "description": "why there is no re-evaluation yet"},
    },
}


def _operation(summary: str, content: dict, status: str = "200", parameters: list | None = None,
               body: dict | None = None) -> dict:
    operation: dict = {"summary": summary, "security": [{"bearer": []}],
                       "parameters": parameters or [],
                       "responses": {status: {"description": "OK", "content": content},
                                     **_ERRORS}}
    if body is not None:
        operation["requestBody"] = {"required": True,
                                    "content": {"application/json": {"schema": body}}}
    return operation


_ONE = {"application/json": {"schema": _FINDING_REF}}
_FILTERS = [
    {"name": "province", "in": "query", "description": "plate code; a province token is "
     "limited to its own", "schema": {"type": "string"}},
    {"name": "service", "in": "query", "schema": {"type": "string"}},
    {"name": "status", "in": "query", "schema": {"enum": STATUSES}},
    {"name": "overdue", "in": "query", "schema": {"enum": ["true", "false"]}},
    {"name": "reported", "in": "query", "description": "reported to the centre or not",
     "schema": {"enum": ["true", "false"]}},
    {"name": "due", "in": "query", "description": "reevaluation: action taken, and a whole "
     "period released since the action's (the centre's re-evaluations due)",
     "schema": {"enum": ["reevaluation"]}},
    {"name": "page", "in": "query", "schema": {"type": "integer", "default": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "default": 50,
                                                   "maximum": 200}},
]

FINDINGS_PATHS = {
    "/findings": {
        "get": _operation(
            "Findings in the caller's scope, the most recent first, with filters",
            {"application/json": {"schema": {"type": "object", "properties": {
                "total": {"type": "integer"}, "page": {"type": "integer"},
                "per_page": {"type": "integer"},
                "scope": {"type": "string", "description": "the caller's: national or "
                          "province:<plate>"},
                "today": {**_DAY, "description": "the Turkish day overdue is judged on"},
                "findings": {"type": "array", "items": _FINDING_REF}}}}},
            parameters=_FILTERS),
        "post": _operation(
            "Make a finding about a published cell: its figures are copied as evidence. A "
            "province token makes findings of its own province (province may be left out); "
            "a hidden cell or a period not released is refused (400)",
            _ONE, "201", body={"type": "object", "required": [
                "problem", "proposals", "responsible_unit", "due_date"], "properties": {
                "survey": {"type": "string", "default": "hizmet"},
                "period": {"type": "string", "description": "a released period; default the "
                           "latest"},
                "province": {"type": "string", "description": "plate code or name"},
                "district": {"type": "string", "description": "id or name; a district's "
                             "figures are for all services, so leave service out"},
                "service": {"type": "string", "description": "left out: all services"},
                "drivers": {"type": "array", "items": {"type": "string"}},
                "problem": _TEXT,
                "proposals": {"type": "array", "minItems": 1, "items": _TEXT},
                "responsible_unit": {"type": "string", "maxLength": 200},
                "due_date": {**_DAY, "description": "today or later (Turkish time)"}}}),
    },
    "/findings/{id}": {"get": _operation(
        "One finding with its evidence, proposals and history", _ONE, parameters=[_ID])},
    "/findings/{id}/proposals": {"post": _operation(
        "Add a proposed solution (not to a closed finding): typed, or a staff proposal "
        "published in /comments?survey=personel, named by its ref (its words are taken as "
        "published; 404 when its cell is not published or not in the token's province)",
        _ONE, "201", parameters=[_ID], body={"oneOf": [
            {"type": "object", "required": ["text"], "properties": {"text": _TEXT},
             "additionalProperties": False},
            {"type": "object", "required": ["staff_proposal"], "properties": {
                "staff_proposal": {"type": "string"},
                "period": {"type": "string", "description": "its quarter, e.g. 2026-Q3 "
                           "(default: the latest released)"}},
             "additionalProperties": False}]})},
    "/findings/{id}/status": {"post": _operation(
        "Move a finding on: open → action_taken (action_date, action) → re_evaluated (the "
        "re-evaluation computed now from the released figures is stored as its result; a "
        "note where none can be computed) → closed (note optional); open → closed as not "
        "actionable (note); "
        "action_taken, re_evaluated or closed → open, reopened (note). Other moves: 409",
        _ONE, parameters=[_ID], body={"type": "object", "required": ["status"], "properties": {
            "status": {"enum": STATUSES}, "action_date": _DAY, "action": _TEXT,
            "note": _TEXT}})},
    "/findings/{id}/reported": {"post": _operation(
        "Mark a finding reported to the centre: national tokens only, once", _ONE,
        parameters=[_ID])},
}
