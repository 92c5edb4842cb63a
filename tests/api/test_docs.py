"""/docs (Swagger UI) and /redoc (Redoc): vendored files, the site's Content-Security-Policy, and a
clear 503 page when the files are not installed. That the pages really render every operation is
checked in a browser, in tests/ui/test_browser.py."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.ui import vendor

pytest_plugins = ["apikit"]

PAGES = {"/docs": vendor.SWAGGER_UI, "/redoc": vendor.REDOC}


def _policy(header: str) -> dict[str, list[str]]:
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {d[0]: d[1:] for d in directives}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_page_loads_only_vendored_files_under_a_strict_policy(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200, page.text
    assert "cdn" not in page.text.lower()
    assert not re.search(r"""(src|href)="(https?:)?//""", page.text)  # nothing from elsewhere
    assert "<script>" not in page.text and " style=" not in page.text  # no inline script or style
    urls = re.findall(r"""(?:src|href)="(/docs-assets/[^"]+)\"""", page.text)
    assert any(u.endswith((".bundle.js", "-bundle.js", ".standalone.js")) for u in urls)
    for url in urls:
        assert client.get(url).status_code == 200, url

    policy = _policy(page.headers["content-security-policy"])
    assert policy["default-src"] == ["'none'"] and policy["script-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)
    if path == "/redoc":  # its generated stylesheet: allowed by this response's nonce only
        nonce = re.search(r'nonce="([^"]+)"', page.text)
        assert nonce is not None and policy["style-src"] == ["'self'", f"'nonce-{nonce.group(1)}'"]
        assert policy["worker-src"] == ["blob:"]
        assert nonce.group(1) not in client.get(path).headers["content-security-policy"]  # a new one each time
    else:
        assert policy["style-src"] == ["'self'"]


def test_assets_are_an_allow_list(client: TestClient) -> None:
    assert client.get("/docs-assets/swagger-ui/swagger-ui.css").headers["content-type"].startswith("text/css")
    assert client.get("/docs-assets/redoc/LICENSE").status_code == 200
    for path in ("/docs-assets/swagger-ui/package.json", "/docs-assets/../pyproject.toml", "/docs-assets/x.js"):
        assert client.get(path).status_code == 404, path


def test_installed_versions_are_the_pinned_ones() -> None:
    pinned = vendor.pinned_versions()
    assert pinned.keys() == {p.name for p in vendor.PACKAGES}
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in pinned.values())  # exact versions
    assert pinned["swagger-ui-dist"].startswith("5.") and pinned["redoc"].startswith("2.")
    assert pinned["@zazuko/yasgui"].startswith("4.")
    lock = json.loads((vendor.MANIFEST.parent / "package-lock.json").read_text(encoding="utf-8"))
    for name, version in pinned.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert vendor.vendor_problem(next(p for p in vendor.PACKAGES if p.name == name)) is None


@pytest.mark.parametrize("path", sorted(PAGES))
def test_missing_files_give_a_page_that_says_how_to_fix(
    client: TestClient, path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vendor, "VENDOR_DIR", tmp_path / "vendor")
    page = client.get(path)
    assert page.status_code == 503
    assert page.headers["content-type"].startswith("text/html")
    assert "make install" in page.text and "/openapi.json" in page.text
    assert f"{PAGES[path].name} {vendor.pinned_versions()[PAGES[path].name]}" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_files_of_another_version_are_not_served_as_the_docs(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "vendor"
    shutil.copytree(vendor.VENDOR_DIR, copy)
    manifest = copy / "swagger-ui" / "package.json"
    manifest.write_text(json.dumps({"name": "swagger-ui-dist", "version": "4.15.5"}), encoding="utf-8")
    monkeypatch.setattr(vendor, "VENDOR_DIR", copy)
    page = client.get("/docs")
    assert page.status_code == 503
    assert "version 4.15.5" in page.text and "make install" in page.text
    assert client.get("/redoc").status_code == 200
