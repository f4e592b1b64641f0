"""Contrast in both themes, measured in Chromium: text at least 4.5:1 against what is behind
it, and a control's outline or surface at least 3:1 against its surroundings (WCAG 2.1
1.4.3 and 1.4.11), on every page."""

from __future__ import annotations

import json

import pytest

from tests.conftest import PAGE_KINDS, open_drawn, requires_shared

pytestmark = [pytest.mark.browser, requires_shared]

SELECTORS = [
    ["control", ".btn"],
    ["text", ".badge"],
    ["text", ".alert"],
    ["text", ".text-muted"],
    ["text", ".overview-label"],
    ["text", ".nav-link"],
    ["text", "label"],
    ["text", "a:not(.btn):not(.nav-link):not(.navbar-brand):not(.dropdown-item)"],
]

MEASURE_JS = r"""() => {
  function parse(c) { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return {r:p[0],g:p[1],b:p[2],a:p.length>3?p[3]:1}; }
  function lum(c) { const f = v => { v/=255; return v <= 0.03928 ? v/12.92 : Math.pow((v+0.055)/1.055, 2.4); };
    return 0.2126*f(c.r)+0.7152*f(c.g)+0.0722*f(c.b); }
  function blend(top, bottom) { const a = top.a; return {r: top.r*a+bottom.r*(1-a), g: top.g*a+bottom.g*(1-a), b: top.b*a+bottom.b*(1-a), a: 1}; }
  function bg(el) { const layers = []; let e = el;
    while (e && e.nodeType === 1) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; } e = e.parentElement; }
    let out = {r:255,g:255,b:255,a:1}; if (!e) { const body = parse(getComputedStyle(document.body).backgroundColor); if (body && body.a>0) out = body; }
    for (let i = layers.length-1; i>=0; i--) out = blend(layers[i], out); return out; }
  function ratio(a, b) { const x = lum(a), y = lum(b); return (Math.max(x,y)+0.05)/(Math.min(x,y)+0.05); }
  const out = [];
  const sel = window.__contrastSelectors;
  for (const [kind, s] of sel) {
    for (const el of document.querySelectorAll(s)) {
      // hidden, or disabled: WCAG 1.4.3 exempts an inactive control's text
      if (el.offsetParent === null || el.matches(':disabled, .disabled')) continue;
      const st = getComputedStyle(el); const back = bg(el.parentElement);
      const own = parse(st.backgroundColor);
      const surface = own && own.a > 0 ? blend(own, back) : back;
      const fg = blend(parse(st.color), surface);
      const text = ratio(fg, surface);
      let edge = null;
      const border = parse(st.borderTopColor);
      if (kind === 'control') {
        // the control's outline (or its filled surface) against what is around it
        const outline = border && parseFloat(st.borderTopWidth) > 0 ? blend(border, back) : surface;
        edge = Math.max(ratio(outline, back), ratio(surface, back));
      }
      out.push({kind, sel: s, text: (el.innerText||'').trim().slice(0,30), textRatio: +text.toFixed(2), edgeRatio: edge && +edge.toFixed(2)});
    }
  }
  return out;
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGE_KINDS)
def test_con001_text_and_controls_meet_wcag_contrast(served_app, page, theme, path):
    open_drawn(page, served_app, path)
    if theme == "dark":
        page.click("#app-theme-switch")
        page.wait_for_function("document.documentElement.getAttribute('data-bs-theme') === 'dark'")
    page.wait_for_timeout(600)  # let colour transitions finish
    page.evaluate(f"window.__contrastSelectors = {json.dumps(SELECTORS)}")
    measured = page.evaluate(MEASURE_JS)
    assert len(measured) > 10
    low_text = [m for m in measured if m["textRatio"] < 4.5]
    low_edge = [m for m in measured if m["edgeRatio"] is not None and m["edgeRatio"] < 3]
    assert low_text == [] and low_edge == [], json.dumps(low_text + low_edge, ensure_ascii=False)
