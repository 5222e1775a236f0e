"""The API fuzzed against its own OpenAPI schema (schemathesis): whatever a
client sends, the answer is never a server error (issue 14)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
)

from natrium.web import create_app

APP = create_app()
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP)


@SCHEMA.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_makes_a_server_error(case):
    response = case.call()
    case.validate_response(
        response, checks=(not_a_server_error, negative_data_rejection)
    )
