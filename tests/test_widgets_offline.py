"""The vendored ipywidgets scripts render a widget on a static page with no network."""

import json

import yaml
from site_probe import CHROMIUM_ARGS


def test_config_points_to_vendored_widget_scripts(root):
    config = yaml.safe_load((root / "_config.yml").read_text())
    scripts = config["sphinx"]["config"]["nb_ipywidgets_js"]
    assert scripts, "nb_ipywidgets_js must list the vendored scripts"
    for path in scripts:
        assert not path.startswith(("http:", "https:", "//")), path
        assert (root / "book" / "_static" / path).exists(), path


def test_vendored_scripts_render_a_slider_offline(root, chromium, tmp_path):
    import ipywidgets
    from ipywidgets.embed import embed_data
    from playwright.sync_api import sync_playwright

    config = yaml.safe_load((root / "_config.yml").read_text())
    scripts = config["sphinx"]["config"]["nb_ipywidgets_js"]
    slider = ipywidgets.IntSlider(value=7, min=0, max=10, description="Level")
    data = embed_data(views=[slider])
    tags = "".join(
        f'<script src="{root / "book" / "_static" / path}"></script>' for path in scripts
    )
    view = json.dumps(data["view_specs"][0])
    (tmp_path / "page.html").write_text(
        f"<html><head>{tags}</head><body>"
        f'<script type="application/vnd.jupyter.widget-state+json">'
        f"{json.dumps(data['manager_state'])}</script>"
        f'<script type="application/vnd.jupyter.widget-view+json">{view}</script>'
        "</body></html>"
    )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context()
        requested = []
        context.route(
            "**/*",
            lambda route: (
                (requested.append(route.request.url), route.continue_())
                if route.request.url.startswith("file:")
                else (requested.append(route.request.url), route.abort())
            ),
        )
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto((tmp_path / "page.html").as_uri())
        page.locator(".widget-slider").first.wait_for(timeout=15_000)
        assert "Level" in page.locator(".widget-slider").first.inner_text()
        browser.close()
    assert [u for u in requested if not u.startswith("file:")] == []
    assert errors == []
