"""Callbacks of the Scenarios page. Thin: the browser's values go through `state.resolve`
(anything malformed falls back to a default, with a notice), the numbers come from
`dashboard.analytics.scenarios`, the figures from `dashboard.figures.scenarios`."""

from __future__ import annotations

import json
from datetime import date

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, clientside_callback, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids as app_ids
from dashboard.analytics import portfolio_balance as pb
from dashboard.analytics import scenarios as sc
from dashboard.analytics.scenario_inputs import ScenarioInputs, load_inputs
from dashboard.components import freshness_panel
from dashboard.episodes import main_episodes
from dashboard.figures import scenarios as figs
from dashboard.figures.common import message_figure
from dashboard.pages.scenarios import ids
from dashboard.pages.scenarios.state import DEFAULTS, URL_KEYS, Controls, path_settings, resolve
from dashboard.theme import DARK, LIGHT

CONTROL_INPUTS = (
    ("beta", ids.BETA), ("normal", ids.NORMAL), ("c_bp", ids.CALIBRATION),
    ("horizon", ids.HORIZON), ("growth", ids.GROWTH), ("baseline", ids.BASELINE),
    ("alt1", ids.ALTERNATIVES[0]), ("alt2", ids.ALTERNATIVES[1]), ("alt3", ids.ALTERNATIVES[2]),
    ("qt_cap", ids.QT_CAP), ("qe_amount", ids.QE_AMOUNT), ("qe_months", ids.QE_MONTHS),
    ("qe_mix", ids.QE_MIX), ("custom", ids.CUSTOM_POINTS),
)
CONTEXT_YEARS = 10


def _theme(theme: object) -> str:
    return DARK if theme == DARK else LIGHT


def controls_from(values: tuple) -> tuple[Controls, list[str]]:
    return resolve({name: value for (name, _), value in zip(CONTROL_INPUTS, values)})


def _label(preset: str) -> str:
    return sc.PRESET_LABELS.get(preset, preset)


def compute(controls: Controls, inputs: ScenarioInputs) -> sc.ScenarioRun:
    """The model for the controls; raises PathError/ModelInputError with a user message."""
    if inputs.start is None:
        raise sc.PathError(inputs.problem or "No holdings data.")
    return sc.run_presets(
        inputs.start,
        path_settings(controls, inputs.default_growth),
        controls.baseline,
        controls.alternatives,
        controls.beta,
        controls.c_bp,
    )


# ---- pieces ------------------------------------------------------------------------------
def start_facts(inputs: ScenarioInputs) -> html.Div | None:
    start = inputs.start
    if start is None:
        return None
    rows = [
        ("Holdings at t = 0", f"{start.pct_gdp:.1f} % of GDP (${start.holdings_bn:,.0f} bn), "
                              f"as of {start.as_of:%Y-%m-%d}"),
        ("Nominal GDP used", f"${start.gdp_bn:,.0f} bn a year (SAAR)"),
        ("GDP growth, last 4 quarters", f"{inputs.default_growth * 100:.1f} % a year"),
        ("MBS paydowns (last 26 weeks)", f"${start.mbs_pace_bn_month:.1f} bn a month"),
    ]
    return html.Div(
        [html.Div([html.Span(k + ": ", className="text-muted"), v], className="small")
         for k, v in rows],
        className="mb-3",
    )


def source_notes(inputs: ScenarioInputs) -> html.Div:
    parts = []
    if inputs.history is not None:
        used = " + ".join(inputs.history.components).replace("+ −", "− ")
        parts.append(html.Small(f"Computed as ({used}) / GDP; H.4.1 in $ millions weekly, "
                                "GDP in $ billions SAAR, each week over its quarter's GDP.",
                                className="text-muted d-block"))
    notes = list(inputs.notes) + ([inputs.problem] if inputs.problem else [])
    if notes:
        parts.append(dbc.Alert([html.Div(n) for n in notes], color="warning",
                               className="py-2 small mt-2 mb-0"))
    return html.Div(parts, className="mb-2")


def impact_table(run: sc.ScenarioRun, c_bp: float) -> html.Table | html.P:
    if not run.impacts:
        return html.P("Choose an alternative path to see its effect.", className="mb-0")
    low, high = pb.CALIBRATION_RANGE_BP
    rows = []
    for name, path in run.impacts.items():
        now = path[0]
        scale = (low / c_bp, high / c_bp) if c_bp else (0.0, 0.0)
        rows.append(html.Tr([
            html.Td(_label(name)),
            html.Td(f"{now:+.1f} bp", className="text-end fw-semibold"),
            html.Td(f"{now * scale[0]:+.1f} to {now * scale[1]:+.1f} bp", className="text-end"),
            html.Td(f"{run.result[name][0]:.1f} bp", className="text-end"),
        ]))
    head = html.Thead(html.Tr([
        html.Th("Alternative"), html.Th(f"Impact (C = {c_bp:g})", className="text-end"),
        html.Th(f"C = {low:g}–{high:g} bp", className="text-end"),
        html.Th("Its PBE today", className="text-end"),
    ]))
    caption = html.Caption(
        f"Baseline: {_label(run.baseline)}, PBE today {run.result[run.baseline][0]:.1f} bp; "
        f"γ = {run.gamma:.4f} bp per (% of GDP · quarter).", className="small")
    return dbc.Table([caption, head, html.Tbody(rows)], size="sm", className="mb-0",
                     id="scenarios-impact-rows")


# ---- callbacks -----------------------------------------------------------------------------
@callback(
    Output(ids.SOURCE_NOTES, "children"),
    Output(ids.START_FACTS, "children"),
    Output(ids.HISTORY, "figure"),
    Output(ids.CONTEXT, "figure"),
    Output(ids.FRESHNESS, "children"),
    Input(ids.NORMAL, "value"),
    Input(app_ids.THEME_STORE, "data"),
)
def update_history(normal, theme):
    theme = _theme(theme)
    controls, _ = resolve({"normal": normal})
    inputs = load_inputs()
    today = date.today()
    if inputs.history is None or inputs.history.pct_gdp.empty:
        history = message_figure(inputs.problem or "No holdings data.", theme)
    else:
        history = figs.history_figure(inputs.history.pct_gdp, controls.normal, main_episodes(),
                                      today, theme)
    since = None
    for series in inputs.context.values():
        if len(series):
            since = series.index[-1] - pd.DateOffset(years=CONTEXT_YEARS)
            break
    context = {k: v.loc[since:] if since is not None else v for k, v in inputs.context.items()}
    if context:
        context_fig = figs.context_figure(context.get("THREEFYTP10"), context.get("DGS10"), theme)
    else:
        context_fig = message_figure("Term premium and 10-year yield unavailable.", theme)
    return (source_notes(inputs), start_facts(inputs), history, context_fig,
            freshness_panel(inputs.series.values()))


@callback(
    Output(ids.MESSAGES, "children"),
    Output(ids.IMPACT_TABLE, "children"),
    Output(ids.PBE, "figure"),
    Output(ids.IMPACT, "figure"),
    Output(ids.HOLDINGS_PATHS, "figure"),
    *(Input(component, "value") for _, component in CONTROL_INPUTS),
    Input(app_ids.THEME_STORE, "data"),
)
def update_results(*values):
    *control_values, theme = values
    theme = _theme(theme)
    controls, notices = controls_from(tuple(control_values))
    messages = [html.Div(n) for n in notices]
    try:
        run = compute(controls, load_inputs())
    except (sc.PathError, pb.ModelInputError) as exc:
        blank = message_figure(str(exc), theme)
        alert = dbc.Alert(messages + [html.Div(str(exc))], color="warning", className="py-2")
        return alert, html.P("—"), blank, blank, blank
    dates = run.paths[run.baseline].dates
    named = {_label(k): v for k, v in run.result.items()}
    pbe_fig = figs.paths_figure(dates, named, "PBE, bp of term premium", theme)
    impact_fig = figs.impact_figure(dates, {_label(k): v for k, v in run.impacts.items()},
                                    controls.c_bp, theme)
    holdings_fig = figs.paths_figure(
        dates, {_label(k): p.values for k, p in run.paths.items()}, "% of nominal GDP", theme,
        unit="% of GDP",
    )
    alert = (dbc.Alert(messages, color="warning", className="py-2 small", dismissable=True)
             if messages else None)
    return alert, impact_table(run, controls.c_bp), pbe_fig, impact_fig, holdings_fig


@callback(
    Output(ids.DOWNLOAD, "data"),
    Input(ids.EXPORT_CSV, "n_clicks"),
    *(State(component, "value") for _, component in CONTROL_INPUTS),
    prevent_initial_call=True,
)
def export_csv(clicks, *control_values):
    if not clicks:
        raise PreventUpdate
    controls, _ = controls_from(tuple(control_values))
    try:
        run = compute(controls, load_inputs())
    except (sc.PathError, pb.ModelInputError):
        return no_update
    frame = sc.paths_frame(run.paths, run.result)
    return {"content": frame.to_csv(index=False, float_format="%.6f"),
            "filename": "scenario-paths.csv", "type": "text/csv"}


def _as_browser_text(value: object) -> str:
    """How the browser's String() writes a default (80.0 -> "80"), so defaults stay out of
    the URL; None -> ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


URL_SYNC_KEYS = json.dumps([URL_KEYS[name] for name, _ in CONTROL_INPUTS])
URL_SYNC_DEFAULTS = json.dumps([_as_browser_text(getattr(DEFAULTS, n)) for n, _ in CONTROL_INPUTS])

# The address bar follows the controls without a reload (replaceState does not notify Dash's
# router), so copying the URL reproduces the view. Defaults are left out of the link.
clientside_callback(
    """function(...values) {
        const keys = KEYS;
        const defaults = DEFAULTS;
        const params = new URLSearchParams();
        keys.forEach((key, i) => {
            const v = values[i];
            if (v !== null && v !== undefined && v !== '' && String(v) !== defaults[i]) {
                params.set(key, String(v));
            }
        });
        const query = params.toString();
        const target = window.location.pathname + (query ? '?' + query : '');
        if (window.location.pathname.endsWith('/scenarios') &&
            window.location.pathname + window.location.search !== target) {
            window.history.replaceState(window.history.state, '', target);
        }
        return '';
    }""".replace("KEYS", URL_SYNC_KEYS, 1).replace("DEFAULTS", URL_SYNC_DEFAULTS, 1),
    Output(ids.URL_SYNC, "children"),
    *(Input(component, "value") for _, component in CONTROL_INPUTS),
)
