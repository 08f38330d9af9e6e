import os

import pytest


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "edge: runs Debian's varnishd (Varnish 7.1 with vmod-xkey) in front of a server"
    )


@pytest.fixture(scope="session")
def varnishd(tmp_path_factory):
    """The varnishd binary, checked to load vmod-xkey. Without it edge tests are skipped with a
    message, unless POLOSA_REQUIRE_EDGE=1 or POLOSA_REQUIRE_BROWSER=1 (as in CI) makes that a failure."""
    from polosa.caching.varnish import VarnishError, compile_vcl, varnishd_path

    found = varnishd_path()
    problem = None
    if found is None:
        problem = "varnishd is not installed"
    else:
        probe = tmp_path_factory.mktemp("vmods") / "xkey.vcl"
        probe.write_text("vcl 4.1;\nimport xkey;\nbackend default none;\n")
        try:
            compile_vcl(probe)
        except VarnishError as error:
            problem = f"varnishd cannot load vmod-xkey ({error})"
    if problem:
        message = f"edge tests need Varnish with vmod-xkey: {problem} (apt install varnish varnish-modules)"
        if "1" in (os.environ.get("POLOSA_REQUIRE_EDGE"), os.environ.get("POLOSA_REQUIRE_BROWSER")):
            pytest.fail(message)
        pytest.skip(message)
    return found
