"""Checks shared by the API's tests: responses against the API's own OpenAPI schema."""

import jsonschema_rs

API = "/api/v1"


def validate(openapi, component, data):
    """Check `data` against a component of the API's own OpenAPI schema."""
    schema = {
        "$ref": f"#/components/schemas/{component}",
        "components": openapi["components"],
    }
    jsonschema_rs.validator_for(schema).validate(data)


def operation_schema(openapi, path, method, status):
    responses = openapi["paths"][path][method]["responses"]
    content = responses[str(status)]["content"]["application/json"]["schema"]
    return {**content, "components": openapi["components"]}


def check(openapi, path, method, response):
    """The response's status is documented and its JSON body matches that status' schema."""
    assert response["Content-Type"].startswith("application/json")
    schema = operation_schema(openapi, path, method, response.status_code)
    jsonschema_rs.validator_for(schema).validate(response.json())
