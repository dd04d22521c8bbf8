"""The explicit shape of a run bundle's bundle.json, checked (JSON Schema, via jsonschema) before anything is rebuilt.

Every size a manifest states is bounded here, so a hand-edited bundle cannot ask for a horizon of 1e12, a
million models or a label of a megabyte; what does not fit gets one sentence naming the field.
"""
from __future__ import annotations

from core.errors import DataError
from core.i18n import Text

MAX_STEPS = 100_000          # horizon, test part, season
MAX_POINTS = 5_000_000       # values in one saved series or forecast
MAX_TEXT = 5_000             # one label, description, note or error sentence

_text = {"type": "string", "maxLength": MAX_TEXT}
_name = {"type": "string", "maxLength": 500}
_steps = {"type": "integer", "minimum": 1, "maximum": MAX_STEPS}
_number = {"anyOf": [{"type": "number"}, {"type": "null"},  # NaN is written as null, an undefined metric as its reason
                     {"type": "object", "properties": {"undefined": _text}, "required": ["undefined"], "additionalProperties": False}]}
_values = {"type": "array", "maxItems": MAX_POINTS, "items": _number}
_start = {"anyOf": [{"type": "string", "maxLength": 64}, {"type": "integer"}]}
_series = {"type": "object", "required": ["name", "freq", "start", "values"],
           "properties": {"name": _name, "freq": {"type": "string", "maxLength": 32}, "start": _start, "values": _values}}
_forecast = {"type": "object", "required": ["mean", "lower", "upper", "model", "level"],
             "properties": {"index": {"type": "array", "maxItems": MAX_STEPS, "items": {"type": "string", "maxLength": 64}},
                            "freq": {"type": ["string", "null"], "maxLength": 32}, "start": _start, "periods": _steps,
                            "mean": _values, "lower": _values, "upper": _values, "model": _name,
                            "level": {"type": "number", "minimum": 0.5, "maximum": 0.99}}}
_message = {"type": "object", "required": ["message", "fields"], "additionalProperties": False,  # core.i18n.Text
            "properties": {"message": _text, "fields": {"type": "object", "maxProperties": 20, "additionalProperties": {
                "anyOf": [{"type": ["string", "number", "boolean", "null"], "maxLength": MAX_TEXT}, {"type": "object"}]}}}}
_result = {"type": "object", "required": ["key", "label", "metrics", "error"],
           "properties": {"key": _name, "label": _name, "description": _text, "notes": _text,
                          "error": {"type": ["string", "null"], "maxLength": MAX_TEXT},
                          "metrics": {"type": "object", "maxProperties": 50, "additionalProperties": _number},
                          "fit_seconds": _number, "predict_seconds": _number,
                          "forecast": {"anyOf": [_forecast, {"type": "null"}]}, "state": {"type": "object"},
                          "lstm_state": {"type": "object"},
                          "messages": {"type": "object", "maxProperties": 3, "additionalProperties": _message}}}
_clean = {"type": "object", "required": ["y", "freq", "season", "report", "log", "season_options"],
          "properties": {"y": _series, "freq": {"type": "string", "maxLength": 32}, "season": _steps,
                         "covariates": {"anyOf": [{"type": "null"},
                                                  {"type": "object", "maxProperties": 2000, "additionalProperties": _series}]},
                         "report": {"type": "array", "maxItems": 1000, "items": _text}, "log": {"type": "boolean"},
                         "report_messages": {"type": "array", "maxItems": 1000, "items": {"anyOf": [_text, _message]}},
                         "season_options": {"type": "array", "maxItems": 50, "items": _steps}}}
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["format", "run", "results"],
    "properties": {
        "format": {"type": "string"},
        "run": {"type": "object", "required": ["dataset", "specs", "test_size", "horizon", "season", "level"],
                "properties": {
                    "dataset": {"type": "object", "required": ["name", "digest", "settings", "clean"],
                                "properties": {"name": _name, "digest": {"type": "string", "maxLength": 128},
                                               "settings": {"type": "object", "maxProperties": 50}, "clean": _clean}},
                    "specs": {"type": "array", "minItems": 1, "maxItems": 20,
                              "items": {"type": "object", "required": ["key", "params"],
                                        "properties": {"key": _name, "params": {"type": "object", "maxProperties": 50}}}},
                    "test_size": _steps, "horizon": _steps, "season": _steps,
                    "level": {"type": "number", "minimum": 0.5, "maximum": 0.99}, "log": {"type": "boolean"},
                    "tuning": {"anyOf": [{"type": "null"}, {"type": "object", "maxProperties": 20}]}}},
        "results": {"type": "object", "minProperties": 1, "maxProperties": 20, "additionalProperties": _result},
    },
}


def check_manifest(manifest) -> None:
    """Nothing, or a DataError naming the first field that is not what LSTM Lens writes."""
    import jsonschema

    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(SCHEMA).iter_errors(manifest))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the top level"
        raise DataError(Text("This bundle's manifest is not one LSTM Lens writes: at {where}, {message}. Export the run "
                             "again.", where=where[:80], message=error.message[:160]))
