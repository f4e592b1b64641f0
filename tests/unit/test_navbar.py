"""The navbar is built from the page registry: order, menu groups from a registry attribute,
no links for the 404 page or pages whose path needs a value (/asset/<id>)."""

from __future__ import annotations

from dashboard.webapp import MENU_ATTRIBUTE, navbar_entries


def _page(name, path, order=None, module=None, **extra):
    return {
        "name": name,
        "relative_path": path,
        "order": order,
        "module": module or f"dashboard.pages.{name.lower()}",
        **extra,
    }


def test_nav001_groups_order_and_templates():
    pages = [
        _page("Data", "/data", 5),
        _page("Overview", "/", 1),
        _page("QT playbook", "/playbook/qt", 7, **{MENU_ATTRIBUTE: "Playbooks"}),
        _page("QE playbook", "/playbook/qe", 6, **{MENU_ATTRIBUTE: "Playbooks"}),
        _page("Asset", "/asset/<asset_id>", 8, path_template="/asset/<asset_id>"),
        _page("Not found", "/404", module="dashboard.pages.not_found_404"),
        _page("Scenarios", "/scenarios"),
    ]
    entries = navbar_entries(pages)
    assert [(group, [p["name"] for p in members]) for group, members in entries] == [
        ("", ["Overview"]),
        ("", ["Data"]),
        ("Playbooks", ["QE playbook", "QT playbook"]),
        ("", ["Scenarios"]),  # no order: last
    ]


def test_nav002_the_real_registry(dash_app):
    import dash

    entries = navbar_entries(dash.page_registry.values())
    names = [p["name"] for _, members in entries for p in members]
    assert names[0] == "Overview" and "Compare" in names and "Data" in names
    assert all("<" not in p["relative_path"] for _, members in entries for p in members)
