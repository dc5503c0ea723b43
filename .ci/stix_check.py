"""Conformance check for claimgraph's STIX 2.1 bundles (docs/stix-design.md, section 6).

    python .ci/stix_check.py BUNDLE.json...

Run with the python of the stix2-validator venv (tests/stix/run.sh installs it). For each file:

1. stix2validator.validate_file with every check enabled (never -d/--disable: naming any code
   silently stops uuid-check 103, 305, 306 and the vocabulary checks, design section 6) and
   enforce_refs=True. Any error refuses the file; so does any warning whose code is not in
   ALLOWED_WARNINGS. The validator gives warnings as strings, "<object id>: {<code>} <message>"
   (stix2validator/v21/errors.py JSONError); a warning without a code (enforce-refs' "makes
   reference to ... Which is not found in current bundle", spec_version mismatches) is refused.
   When .ci/stix-schemas exists it is passed as schema_dir (validator --schemas).
2. stix2.parse(object, allow_custom=False) for every object, then for the whole bundle, with
   claimgraph's record extension and the OASIS Incident Extension Suite's `event` SDO registered:
   anything else custom is refused.
3. The claimgraph extension's shape (design section 2.8): record_type against the STIX type that
   carries it, `record` xor `id`, `field` only on structural links, and the `event` SDO's own
   new-sdo extension entry.

Prints each accepted warning code with its count and each refusal as FILE: OBJECT-ID: MESSAGE;
exits 0 when every file passes, 1 otherwise (2 on bad usage).
"""

import collections
import json
import os
import re
import sys

import stix2
from stix2.properties import (BooleanProperty, DictionaryProperty, EnumProperty, ListProperty,
                              ReferenceProperty, StringProperty, TimestampProperty)
from stix2.v21.base import _STIXBase21
from stix2validator import ValidationOptions, validate_file

# 103 UUIDv5 ids (design section 3), 202 relationship types beyond the spec's suggestions (2.6),
# 218 claimgraph's report_types such as news-article (2.4), 302 external reference URL without
# hashes (a news URL has no stable hash).
ALLOWED_WARNINGS = {
    "103": "ids are UUIDv5 over claimgraph's namespace",
    "202": "relationship type outside the spec's suggestions",
    "218": "report_types outside report-type-ov (news-article etc.)",
    "302": "external reference URL without hashes",
}

CLAIMGRAPH_EXT = "extension-definition--c84fc9d1-1b20-55fa-8f2c-52d40b0dba1d"
EVENT_EXT = "extension-definition--4ca6de00-5b0d-45ef-a1dc-ea7279ea910e"

# record_type -> the STIX types that may carry it (design sections 2.1-2.8).
RECORD_TYPES = {
    "actor": {"threat-actor", "identity"},
    "location": {"location"},
    "event": {"event", "campaign"},
    "source": {"report"},
    "statement": {"note"},
    "claim": {"relationship", "note"},  # value claims (has_strength) are notes
    "stance": {"opinion"},
}
LINK_TYPES = {
    "status": {"opinion"},  # the producer's opinion on a claim's status
    "field": {"relationship"},  # structural link named by a record field
    "twin": {"identity", "relationship"},  # a threat-actor's identity and its attributed-to
}
FIELDS = ["location", "parent", "campaign", "via"]
FIDELITY = ["second", "minute", "hour", "day", "month", "year"]

STIX_ID = re.compile(r"\b[a-z][a-z0-9-]*--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
CODED_WARNING = re.compile(r"^(?P<where>.*?): \{(?P<code>\d+)\} (?P<message>.*)$", re.DOTALL)


@stix2.CustomExtension(CLAIMGRAPH_EXT, [
    ("record_type", EnumProperty(sorted(RECORD_TYPES) + sorted(LINK_TYPES), required=True)),
    ("record", DictionaryProperty()),
    ("id", StringProperty()),
    ("field", EnumProperty(FIELDS)),
])
class ClaimgraphRecord:
    """{extension_type: property-extension, record_type, record | id [, field]}, design 2.8."""
    extension_type = "property-extension"

    def __init__(self, record_type=None, record=None, id=None, field=None, **_):
        if record_type in RECORD_TYPES:
            if record is None or id is not None or field is not None:
                raise ValueError(f"record_type {record_type!r} carries `record` only")
            if not isinstance(record.get("id"), str) or not record["id"]:
                raise ValueError(f"record_type {record_type!r}: the record has no string `id`")
        else:
            if id is None or record is not None:
                raise ValueError(f"record_type {record_type!r} carries `id`, not `record`")
            if (field is not None) != (record_type == "field"):
                raise ValueError("`field` goes with record_type 'field' and nothing else")


class NextStep(_STIXBase21):
    _properties = collections.OrderedDict([
        ("condition_type", EnumProperty(["optional", "required", "unknown"], required=True)),
        ("event_ref", ReferenceProperty(valid_types="event", spec_version="2.1", required=True)),
        ("transition_type", EnumProperty(["completion", "failure", "success", "unknown"], required=True)),
    ])


class EventSequence(_STIXBase21):
    _properties = collections.OrderedDict([
        ("event_ref", ReferenceProperty(valid_types="event", spec_version="2.1", required=True)),
        ("sequence_start", BooleanProperty()),
        ("next_steps", ListProperty(NextStep)),
    ])


class ChangedObject(_STIXBase21):
    _properties = collections.OrderedDict([
        ("state_change_type", StringProperty(required=True)),
        ("initial_ref", ReferenceProperty(invalid_types=[], spec_version="2.1")),
        ("result_ref", ReferenceProperty(invalid_types=[], spec_version="2.1")),
    ])

    def _check_object_constraints(self):
        super()._check_object_constraints()
        self._check_at_least_one_property(["initial_ref", "result_ref"])


# The event SDO of the OASIS Incident Extension Suite (oasis-open/cti-stix-common-objects,
# extension-definition-specifications/incident-core/event/extension-definition--4ca6de00-....json);
# the common properties come with CustomObject.
@stix2.CustomObject("event", [
    ("status", EnumProperty(["ongoing", "occurred", "not-occurred", "pending", "undetermined"], required=True)),
    ("name", StringProperty()),
    ("description", StringProperty()),
    ("event_types", ListProperty(StringProperty)),
    ("start_time", TimestampProperty()),
    ("start_time_fidelity", EnumProperty(FIDELITY)),
    ("end_time", TimestampProperty()),
    ("end_time_fidelity", EnumProperty(FIDELITY)),
    ("goal", StringProperty()),
    ("changed_objects", ListProperty(ChangedObject)),
    ("sighting_refs", ListProperty(ReferenceProperty(valid_types="sighting", spec_version="2.1"))),
    ("subevents", ListProperty(EventSequence)),
], extension_name=EVENT_EXT)
class Event:
    def __init__(self, **_):
        start, end = self.get("start_time"), self.get("end_time")
        if start is not None and end is not None and not end > start:
            raise ValueError("end_time must be later than start_time (Incident Extension Suite)")


RECORD_DEFS = {"actor": "Actor", "location": "Location", "event": "Event", "source": "Source",
               "statement": "Statement", "claim": "Claim", "stance": "Stance"}
REWORDED = "Custom extension keys may only contain"  # the validator's words for additionalProperties


def unexpected_record_keys(obj, message):
    """Names the keys behind the validator's reworded additionalProperties error on a record."""
    if not message.startswith(f"extensions.{CLAIMGRAPH_EXT}.record: {REWORDED}"):
        return message
    ours = obj.get("extensions", {}).get(CLAIMGRAPH_EXT, {})
    fixture = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schema", "fixture.schema.json")
    try:
        with open(fixture, encoding="utf-8") as f:
            known = json.load(f)["$defs"][RECORD_DEFS[ours["record_type"]]]["properties"]
    except (OSError, ValueError, KeyError):
        return message
    extra = sorted(k for k in ours.get("record", {}) if k not in known)
    return f"{message} [record keys the fixture format has no place for: {', '.join(extra)}]" if extra else message


def object_id(text, fallback):
    """The object a message is about, and the message without its leading "<that id>: "."""
    found = STIX_ID.search(text)
    obj_id = found.group(0) if found else fallback
    if text.startswith(obj_id + ": "):
        text = text[len(obj_id) + 2:]
    return obj_id, text.strip()


class FileCheck:
    def __init__(self, path):
        self.path = path
        self.refusals = []  # (object id, message)
        self.accepted = collections.Counter()

    def refuse(self, obj_id, message):
        self.refusals.append((obj_id, message))

    def validator(self, schema_dir, objects):
        options = ValidationOptions(version="2.1", enforce_refs=True, schema_dir=schema_dir)
        results = validate_file(self.path, options)
        if results.fatal:
            self.refuse("-", f"stix2-validator could not read the file: {results.fatal.error}")
            return
        if not results.object_results:
            self.refuse("-", "stix2-validator found nothing to validate")
        for result in results.object_results:
            for error in result.errors:
                obj_id, text = object_id(str(error), result.object_id)
                self.refuse(obj_id, f"error: {unexpected_record_keys(objects.get(obj_id, {}), text)}")
            for warning in result.warnings:
                text = str(warning)
                coded = CODED_WARNING.match(text)
                if coded and coded["code"] in ALLOWED_WARNINGS:
                    self.accepted[coded["code"]] += 1
                elif coded:
                    obj_id, _ = object_id(text, result.object_id)
                    self.refuse(obj_id, f"warning {coded['code']} (not allowed): {coded['message'].strip()}")
                else:
                    obj_id, text = object_id(text, result.object_id)
                    self.refuse(obj_id, f"warning without a code (not allowed): {text}")

    def library(self, bundle):
        if not isinstance(bundle, dict) or bundle.get("type") != "bundle" or not isinstance(bundle.get("objects"), list):
            self.refuse("-", "not a STIX bundle with an `objects` list")
            return
        refused_before = len(self.refusals)
        for index, obj in enumerate(bundle["objects"]):
            where = obj.get("id", f"objects[{index}]") if isinstance(obj, dict) else f"objects[{index}]"
            try:
                stix2.parse(obj, allow_custom=False)
            except Exception as exc:  # the library raises many types; each is a refusal
                self.refuse(where, f"stix2.parse: {type(exc).__name__}: {exc}")
                continue
            self.extension_shape(where, obj)
        if len(self.refusals) == refused_before:
            try:
                stix2.parse(bundle, allow_custom=False)
            except Exception as exc:
                self.refuse(bundle.get("id", "-"), f"stix2.parse (bundle): {type(exc).__name__}: {exc}")

    def extension_shape(self, where, obj):
        ours = obj.get("extensions", {}).get(CLAIMGRAPH_EXT)
        if ours is not None:
            record_type = ours.get("record_type")
            allowed = RECORD_TYPES.get(record_type) or LINK_TYPES.get(record_type, set())
            if obj["type"] not in allowed:
                self.refuse(where, f"claimgraph extension: record_type {record_type!r} on a {obj['type']} "
                                   f"(expected on {', '.join(sorted(allowed)) or 'nothing'})")
        if obj["type"] == "event" and obj.get("extensions", {}).get(EVENT_EXT) != {"extension_type": "new-sdo"}:
            self.refuse(where, f"event without extensions[{EVENT_EXT}] = {{extension_type: new-sdo}}")

    def run(self, schema_dir):
        try:
            with open(self.path, encoding="utf-8") as f:
                bundle = json.load(f)
        except (OSError, ValueError) as exc:
            self.refuse("-", f"cannot read JSON: {exc}")
            return
        objects = bundle.get("objects") if isinstance(bundle, dict) else None
        objects = {o["id"]: o for o in objects if isinstance(o, dict) and "id" in o} if isinstance(objects, list) else {}
        self.validator(schema_dir, objects)
        self.library(bundle)
        count = len(bundle.get("objects", [])) if isinstance(bundle, dict) else 0
        accepted = ", ".join(f"{code} x{n}" for code, n in sorted(self.accepted.items(), key=lambda c: int(c[0])))
        verdict = f"FAIL ({len(self.refusals)} refusals)" if self.refusals else "ok"
        print(f"{verdict}: {self.path}: {count} objects; accepted warnings: {accepted or 'none'}")
        for obj_id, message in self.refusals:
            print(f"  REFUSED {self.path}: {obj_id}: {message}")


def main(argv):
    if not argv or any(a in ("-h", "--help") for a in argv):
        print(__doc__.strip())
        return 0 if argv else 2
    schemas = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stix-schemas")
    schema_dir = schemas if os.path.isdir(schemas) else None
    print(f"stix2-validator {__import__('stix2validator').__version__} (all checks, enforce_refs, "
          f"schemas: {schema_dir or 'none'}) and stix2 {stix2.__version__} (parse, allow_custom=False)")
    for code in sorted(ALLOWED_WARNINGS, key=int):
        print(f"  warning {code} accepted: {ALLOWED_WARNINGS[code]}")
    checks = []
    for path in argv:
        check = FileCheck(path)
        check.run(schema_dir)
        checks.append(check)
    failed = [c for c in checks if c.refusals]
    if failed:
        print(f"stix_check: FAIL: {len(failed)} of {len(checks)} files refused: "
              + "; ".join(f"{c.path} ({len(c.refusals)} refusals)" for c in failed))
        return 1
    print(f"stix_check: ok: {len(checks)} files pass")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
