"""Speak Dash's HTTP protocol the way the browser does, for benchmarks, load and hostile tests.

Everything is read from the running app, so new pages and callbacks are picked up without
editing this file: page paths come from the navbar links in `/_dash-layout`, a page's layout
from Dash's own pages callback (`_pages_location` → `_pages_content`), and the callbacks a
page fires on load from `/_dash-dependencies`, with input values taken from the layout
exactly as the renderer would send them.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import requests

UPDATE = "/_dash-update-component"
PAGES_LOCATION = "_pages_location"
PAGES_CONTENT = "_pages_content"
WILDCARDS = ("ALL", "MATCH", "ALLSMALLER")


def id_key(component_id: Any) -> str:
    """Dash's string form of a component id (dict ids as sorted compact JSON)."""
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return str(component_id)


def parse_dep_id(raw: str) -> str | dict:
    """A dependency id from `/_dash-dependencies`: a plain string, or a JSON dict pattern."""
    if raw.startswith("{"):
        return json.loads(raw)
    return raw


def _pattern_matches(pattern: dict, component_id: Any) -> bool:
    if not isinstance(component_id, dict) or set(component_id) != set(pattern):
        return False
    for key, want in pattern.items():
        if isinstance(want, list) and want and want[0] in WILDCARDS:
            continue
        if component_id[key] != want:
            return False
    return True


def walk_components(tree: Any) -> Iterator[dict]:
    """Every component (`{"type", "namespace", "props"}`) in a serialized layout tree."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            if "props" in node and "type" in node:
                yield node
                for value in node["props"].values():
                    if isinstance(value, (dict, list)):
                        stack.append(value)
            else:
                stack.extend(v for v in node.values() if isinstance(v, (dict, list)))


def find_figures(tree: Any) -> Iterator[dict]:
    """Plotly figure dicts (`data` + `layout`) anywhere in a response or layout."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("data"), list) and isinstance(node.get("layout"), dict):
                yield node
                continue
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))


def _array_length(value: Any) -> int | None:
    """Length of a trace array: a JSON list, or plotly's typed-array form (`bdata`)."""
    if isinstance(value, list):
        return len(value)
    if isinstance(value, dict) and "bdata" in value:
        shape = str(value.get("shape", "")).split(",")[0].strip()
        if shape:
            return int(shape)
        itemsize = int(str(value.get("dtype", "f8"))[1:] or 8)
        return len(base64.b64decode(value["bdata"])) // itemsize
    return None


def count_points(figure: dict) -> int:
    """Number of plotted values in a figure (length of each trace's y, or values, x, z)."""
    total = 0
    for trace in figure.get("data", []):
        for key in ("y", "values", "x", "z"):
            length = _array_length(trace.get(key))
            if length is not None:
                total += length
                break
    return total


@dataclass
class Dependency:
    """One callback as `/_dash-dependencies` describes it."""

    raw: dict

    @property
    def output(self) -> str:
        return self.raw["output"]

    @property
    def clientside(self) -> bool:
        return self.raw.get("clientside_function") is not None

    @property
    def prevent_initial_call(self) -> bool:
        return bool(self.raw.get("prevent_initial_call"))

    def output_specs(self) -> list[tuple[str | dict, str]]:
        """(id, property) of each output, parsed from Dash's `..a.b...c.d..` form."""
        out = self.output
        parts = out[2:-2].split("...") if out.startswith("..") else [out]
        specs = []
        for part in parts:
            if part.startswith("{"):
                end = part.rindex("}") + 1
                specs.append((parse_dep_id(part[:end]), part[end + 1 :]))
            else:
                cid, _, prop = part.rpartition(".")
                specs.append((cid, prop))
        return specs

    @property
    def multi(self) -> bool:
        return self.output.startswith("..")

    def input_specs(self) -> list[tuple[str | dict, str]]:
        return [(parse_dep_id(i["id"]), i["property"]) for i in self.raw["inputs"]]

    def state_specs(self) -> list[tuple[str | dict, str]]:
        return [(parse_dep_id(i["id"]), i["property"]) for i in self.raw.get("state", [])]

    @property
    def pattern(self) -> bool:
        specs = self.output_specs() + self.input_specs() + self.state_specs()
        return any(isinstance(cid, dict) for cid, _ in specs)


@dataclass
class Call:
    """A ready-to-post callback request, with a short label for tables."""

    label: str
    payload: dict
    dependency: Dependency | None = None

    def body(self) -> bytes:
        return json.dumps(self.payload, separators=(",", ":")).encode()


@dataclass
class PageView:
    """A page as the browser sees it after navigation: its layout and the calls it fires."""

    path: str
    search: str
    content: Any  # the page layout tree (`_pages_content.children`)
    content_bytes: int
    components: dict[str, dict] = field(default_factory=dict)  # id_key → props
    calls: list[Call] = field(default_factory=list)


class DashSite:
    """A running Dash app, seen through HTTP only."""

    def __init__(self, base_url: str, session: requests.Session | None = None, timeout=60.0):
        self.base = base_url.rstrip("/")
        self.http = session or requests.Session()
        self.timeout = timeout
        self.deps = [Dependency(d) for d in self._get_json("/_dash-dependencies")]
        self.shell = self._get_json("/_dash-layout")
        self.shell_components = {
            id_key(c["props"]["id"]): c["props"]
            for c in walk_components(self.shell)
            if "id" in c["props"]
        }

    # ---- plain HTTP ---------------------------------------------------------------------
    def _get_json(self, path: str) -> Any:
        response = self.http.get(self.base + path, timeout=self.timeout)
        response.raise_for_status()
        return response.json()

    def post(self, call: Call | dict) -> requests.Response:
        payload = call.payload if isinstance(call, Call) else call
        return self.http.post(
            self.base + UPDATE,
            data=json.dumps(payload, separators=(",", ":")),
            headers={"Content-Type": "application/json"},
            timeout=self.timeout,
        )

    # ---- pages --------------------------------------------------------------------------
    def page_paths(self) -> list[str]:
        """Every page linked from the navbar (what a user can reach), in navbar order."""
        paths = []
        for component in walk_components(self.shell):
            href = component["props"].get("href")
            if component["type"] == "NavLink" and isinstance(href, str) and href.startswith("/"):
                if href not in paths:
                    paths.append(href)
        return paths

    def pages_dependency(self) -> Dependency:
        for dep in self.deps:
            if (PAGES_LOCATION, "pathname") in dep.input_specs() and not dep.clientside:
                return dep
        raise LookupError("the app has no Dash pages callback")

    def navigate_call(self, path: str, search: str = "") -> Call:
        """The request Dash's pages callback receives when the browser opens `path?search`."""
        dep = self.pages_dependency()
        values = {"pathname": path, "search": search}
        return Call(
            f"page {path}",
            {
                "output": dep.output,
                "outputs": [{"id": cid, "property": prop} for cid, prop in dep.output_specs()],
                "inputs": [
                    {"id": cid, "property": prop, "value": values.get(prop)}
                    for cid, prop in dep.input_specs()
                ],
                "changedPropIds": [f"{PAGES_LOCATION}.pathname"],
                "state": [
                    {"id": cid, "property": prop, "value": None} for cid, prop in dep.state_specs()
                ],
            },
            dep,
        )

    def open_page(self, path: str, search: str = "") -> PageView:
        """Navigate to a page: its layout and the server callbacks it fires on load."""
        response = self.post(self.navigate_call(path, search))
        response.raise_for_status()
        body = response.json()
        content = body["response"][PAGES_CONTENT]["children"]
        view = PageView(path, search, content, len(response.content))
        view.components = dict(self.shell_components)
        for component in walk_components(content):
            if "id" in component["props"]:
                view.components[id_key(component["props"]["id"])] = component["props"]
        view.calls = self.initial_calls(view.components, content)
        return view

    # ---- callbacks ----------------------------------------------------------------------
    def _resolve(self, cid: str | dict, components: dict[str, dict]) -> list[Any]:
        """Concrete ids in the layout that a dependency id refers to."""
        if isinstance(cid, str):
            return [cid] if cid in components else []
        found = []
        for key, props in components.items():
            if key.startswith("{") and _pattern_matches(cid, props["id"]):
                found.append(props["id"])
        return found

    def build_call(
        self,
        dep: Dependency,
        components: dict[str, dict],
        overrides: dict[str, Any] | None = None,
        changed: list[str] | None = None,
    ) -> Call | None:
        """The request the renderer would post for `dep` given the layout's current values.

        `overrides` maps "id.property" to a value to send instead of the layout's. Returns
        None when an input is not in the layout (the callback belongs to another page).
        """
        overrides = overrides or {}

        def entries(specs, need: bool):
            out = []
            for cid, prop in specs:
                concrete = self._resolve(cid, components)
                if not concrete:
                    if need and isinstance(cid, str):
                        return None
                    out.append([] if isinstance(cid, dict) else {"id": cid, "property": prop})
                    continue

                def entry(real_id, prop=prop):
                    key = f"{id_key(real_id)}.{prop}"
                    value = overrides.get(key, components[id_key(real_id)].get(prop))
                    return {"id": real_id, "property": prop, "value": value}

                if isinstance(cid, dict) and any(
                    isinstance(v, list) and v and v[0] in ("ALL", "ALLSMALLER")
                    for v in cid.values()
                ):
                    out.append([entry(r) for r in concrete])
                else:
                    out.append(entry(concrete[0]))
            return out

        inputs = entries(dep.input_specs(), need=True)
        if inputs is None:
            return None
        state = entries(dep.state_specs(), need=False) or []
        outputs = []
        for cid, prop in dep.output_specs():
            concrete = self._resolve(cid, components) if isinstance(cid, dict) else [cid]
            if isinstance(cid, dict) and any(
                isinstance(v, list) and v and v[0] == "ALL" for v in cid.values()
            ):
                outputs.append([{"id": c, "property": prop} for c in concrete])
            else:
                outputs.append({"id": concrete[0] if concrete else cid, "property": prop})
        if changed is None:
            changed = []
            for item in inputs:
                for e in item if isinstance(item, list) else [item]:
                    if "value" in e:
                        changed.append(f"{id_key(e['id'])}.{e['property']}")
                        break
                if changed:
                    break
        payload = {
            "output": dep.output,
            "outputs": outputs if dep.multi else outputs[0],
            "inputs": inputs,
            "changedPropIds": changed,
            "state": state,
        }
        return Call(dep.output, payload, dep)

    def initial_calls(self, components: dict[str, dict], content: Any = None) -> list[Call]:
        """Server callbacks the renderer fires when this layout appears (not the shell's)."""
        page_ids = (
            {id_key(c["props"]["id"]) for c in walk_components(content) if "id" in c["props"]}
            if content is not None
            else set(components)
        )
        calls = []
        for dep in self.deps:
            if dep.clientside or dep.prevent_initial_call:
                continue
            touches_page = any(
                (isinstance(cid, str) and cid in page_ids)
                or (isinstance(cid, dict) and self._resolve(cid, components))
                for cid, _ in dep.input_specs() + dep.output_specs()
            )
            if not touches_page:
                continue
            call = self.build_call(dep, components)
            if call is not None:
                calls.append(call)
        return calls

    def calls_for(self, components: dict[str, dict]) -> list[Call]:
        """Every server callback whose inputs are all in this layout (initial or not)."""
        calls = []
        for dep in self.deps:
            if dep.clientside:
                continue
            call = self.build_call(dep, components)
            if call is not None:
                calls.append(call)
        return calls
