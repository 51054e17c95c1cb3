"""GET /api/gateway/openapi.json, black box: a valid OpenAPI 3.1 document (openapi-spec-validator)
whose every operation the running binary answers, with a documented status and a body that
matches the documented schema. Every route of `RESTAPI.Route` is documented and called; a
405 on any of them carries `Allow`."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
import requests
from openapi_spec_validator import validate

from support.gateway import API_KEYS, Gateway
from support.tokens import new_user

pytestmark = pytest.mark.gateway_only

OPERATIONS = [
    ("POST", "/api/gateway/send"),
    ("POST", "/api/gateway/send-many"),
    ("GET", "/api/gateway/status/{userId}"),
    ("GET", "/api/gateway/connected"),
    ("GET", "/api/gateway/stats"),
    ("GET", "/api/gateway/messages/{messageId}"),
    ("GET", "/api/gateway/history/{userId}"),
    ("DELETE", "/api/gateway/history/{userId}"),
    ("PUT", "/api/gateway/rooms/{room}/members"),
    ("POST", "/api/gateway/send-room"),
    ("GET", "/api/gateway/rooms/{room}"),
    ("GET", "/api/gateway/users/{userId}/rooms"),
    ("GET", "/api/gateway/presence"),
    ("DELETE", "/api/gateway/rooms/{room}/members"),
    ("DELETE", "/api/gateway/rooms/{room}"),
    ("POST", "/api/gateway/disconnect"),
    ("GET", "/healthz"),
    ("GET", "/metrics"),
    ("GET", "/api/gateway/openapi.json"),
    ("GET", "/dashboard"),
    ("GET", "/api/gateway/dashboard/snapshot"),
]


@pytest.fixture(scope="module")
def document(gateway: Gateway) -> dict[str, Any]:
    response = requests.get(f"{gateway.url}/api/gateway/openapi.json", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    return response.json()


def schema_validator(document: dict[str, Any], schema: dict[str, Any]) -> jsonschema.Validator:
    """A JSON Schema 2020-12 validator (OpenAPI 3.1's dialect) for `schema`, whose
    `#/components/...` references resolve against the document."""
    root = {"components": document["components"], "allOf": [schema]}
    return jsonschema.Draft202012Validator(root, format_checker=jsonschema.FormatChecker())


def resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    validate(copy.deepcopy(document))
    assert document["openapi"].startswith("3.1")


def test_the_document_lists_exactly_the_operations_this_suite_calls(document: dict[str, Any]) -> None:
    documented = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert documented == set(OPERATIONS)


def test_every_example_matches_its_schema(document: dict[str, Any]) -> None:
    checked = 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            bodies = [operation.get("requestBody", {})]
            bodies += [resolve(document, answer) for answer in operation["responses"].values()]
            for body in bodies:
                for media_type, media in resolve(document, body).get("content", {}).items():
                    examples = [media["example"]] if "example" in media else []
                    examples += [example["value"] for example in media.get("examples", {}).values()]
                    for example in examples:
                        if media_type.startswith("application/json"):
                            schema_validator(document, media["schema"]).validate(example)
                            checked += 1
    assert checked >= 20


def call(gateway: Gateway, document: dict[str, Any], method: str, template: str, credential: str | None):
    operation = document["paths"][template][method.lower()]
    parameters = [resolve(document, parameter) for parameter in operation.get("parameters", [])]
    path = template
    query = {}
    for parameter in parameters:
        if parameter["in"] == "query" and parameter.get("required"):
            query[parameter["name"]] = parameter["example"]
        if parameter["in"] == "path":
            value = new_user("openapi") if parameter["name"] == "userId" else parameter.get("example", "x")
            path = path.replace("{" + parameter["name"] + "}", value)
    headers = {"Authorization": f"Bearer {credential}"} if credential else {}
    body = None
    if "requestBody" in operation:
        request_body = resolve(document, operation["requestBody"])
        body = json.dumps(request_body["content"]["application/json"]["example"])
        headers["Content-Type"] = "application/json"
    response = requests.request(
        method, f"{gateway.url}{path}", params=query, data=body, headers=headers, timeout=10
    )
    return operation, response


@pytest.mark.parametrize(("method", "template"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_documented_operation_answers_a_documented_status_and_schema(
    gateway: Gateway, document: dict[str, Any], method: str, template: str
) -> None:
    operation, response = call(gateway, document, method, template, API_KEYS[0])

    documented = operation["responses"].get(str(response.status_code))
    assert documented is not None, f"{method} {template} answered undocumented {response.status_code}: {response.text}"
    content = resolve(document, documented).get("content", {})
    if not content:
        return
    media_type = response.headers["Content-Type"]
    assert media_type in content or media_type.split(";")[0] in content, (media_type, list(content))
    media = content.get(media_type) or content[media_type.split(";")[0]]
    if media_type.startswith("application/json"):
        schema_validator(document, media["schema"]).validate(response.json())


@pytest.mark.parametrize(("method", "template"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_secured_operation_answers_401_without_a_credential(
    gateway: Gateway, document: dict[str, Any], method: str, template: str
) -> None:
    operation, response = call(gateway, document, method, template, None)
    security = operation.get("security", document["security"])

    if security == []:
        assert response.status_code != 401
    else:
        assert "401" in operation["responses"]
        assert response.status_code == 401, response.text
        schema_validator(document, {"$ref": "#/components/schemas/NestError"}).validate(response.json())


@pytest.mark.parametrize(("method", "template"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_a_wrong_method_answers_405_with_allow_listing_the_documented_methods(
    gateway: Gateway, document: dict[str, Any], method: str, template: str
) -> None:
    documented = {m.upper() for m in document["paths"][template] if m in {"get", "post", "put", "delete"}}
    if not template.startswith("/api/gateway/") or template.endswith(("openapi.json", "snapshot")):
        return
    wrong = next(m for m in ("PATCH", "PUT", "POST") if m not in documented)
    path = template.replace("{userId}", "u").replace("{messageId}", "m").replace("{room}", "r")
    response = requests.request(wrong, f"{gateway.url}{path}", headers={"Authorization": f"Bearer {API_KEYS[0]}"}, timeout=10)
    assert response.status_code == 405, response.text
    assert set(response.headers["Allow"].split(", ")) == documented
