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


def _app():
    # with a store and an output folder, so their endpoints are fuzzed past
    # their 404s
    import tempfile
    from pathlib import Path

    from natrium.study import Store, read_study, run_study

    folder = Path(tempfile.mkdtemp(prefix="natrium-fuzz-"))
    (folder / "s.toml").write_text(
        '[study]\nname = "fuzz"\n[designs]\npw = "example:pw_hc_pouch"\n'
        '[[steps]]\nkind = "datasheet"\n'
    )
    with Store(folder / "r.duckdb") as store:
        run_study(read_study(folder / "s.toml"), store)
    (folder / "out").mkdir()
    (folder / "out" / "report.html").write_text("<html></html>")
    return create_app(folder / "r.duckdb", folder / "out")


APP = _app()
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
