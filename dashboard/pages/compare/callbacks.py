"""Callbacks of the Compare page. Thin: the pair comes from the data layer, the numbers from
`dashboard.analytics.compare`, the figures from `dashboard.figures.compare`.

`get_store` and `stats` are looked up on this module at call time, so a test can patch them
here (`monkeypatch.setattr(compare.callbacks, "get_store", …)`).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from dash import Input, Output, State, callback, clientside_callback, no_update

from dashboard import ids as app_ids
from dashboard.analytics import compare as stats
from dashboard.analytics.lead_shift import (
    SHIFT_LIMIT_WEEKS,
    clamp_shift,
    shifted_levels,
    shifted_pair,
    signed,
)
from dashboard.catalog import is_known
from dashboard.components import (
    freshness_panel,
    is_phone,
    live_outputs,
    live_values,
    register_live_updates,
    register_viewport,
)
from dashboard.data import SeriesData, get_store
from dashboard.episodes import main_episodes
from dashboard.figures import compare as figs
from dashboard.figures.common import message_figure
from dashboard.figures.lead_shift import shifted_levels_figure, shifted_scatter_figure
from dashboard.memo import BoundedMemo, series_fingerprint
from dashboard.pages.compare import ids
from dashboard.pages.compare.state import (
    DEFAULT_A,
    DEFAULT_B,
    DEFAULT_RANGE,
    MAX_LAG_WEEKS,
    ROLLING_WEEKS,
)
from dashboard.pages.compare.tables import (
    correlation_table,
    shift_sentence,
    summary_table,
    why_card,
)


def _load(a: str, b: str) -> tuple[SeriesData, SeriesData]:
    store = get_store()
    return store.get(a if is_known(a) else DEFAULT_A), store.get(b if is_known(b) else DEFAULT_B)


def _change_units(da: SeriesData, db: SeriesData) -> tuple[str, str]:
    """The units of A's and B's weekly changes ("log %", "bp", …)."""
    return tuple(stats.weekly_change_unit(d.info.change_kind, d.info.units) for d in (da, db))


def _range_key(raw: object) -> str:
    return raw if isinstance(raw, str) and raw in stats.RANGES else DEFAULT_RANGE


def _visible(changes: pd.DataFrame, range_key: str) -> tuple[pd.Timestamp, pd.DataFrame]:
    """The range's start and the weekly changes from it: what the lead/lag is computed on."""
    start = stats.range_start(changes.index[-1], range_key, changes.index[0])
    return start, changes[changes.index >= start]


def _changes(da: SeriesData, db: SeriesData) -> pd.DataFrame:
    return stats.pair_weekly_changes(
        da.values,
        da.info.change_kind,
        da.info.units,
        db.values,
        db.info.change_kind,
        db.info.units,
    )


@callback(
    Output(ids.SUMMARY, "children"),
    Output(ids.CORRELATIONS, "children"),
    Output(ids.ROLLING, "figure"),
    Output(ids.WHY, "children"),
    Output(ids.FRESHNESS, "children"),
    Input(ids.SERIES_A, "value"),
    Input(ids.SERIES_B, "value"),
    Input(app_ids.THEME_STORE, "data"),
    Input(ids.LIVE.landed, "data"),  # a background fetch landed: draw again
    Input(ids.VIEWPORT, "data"),
)
def update_pair(a, b, theme, _landed=None, viewport=None):
    """Everything that depends on the pair only: summary, correlations, rolling chart."""
    da, db = _load(a, b)
    changes = _changes(da, db)
    unit_a, unit_b = _change_units(da, db)
    rolling = stats.rolling_correlation(changes, ROLLING_WEEKS)
    rolling_fig = figs.rolling_correlation_figure(
        rolling,
        main_episodes(),
        da.info.label,
        db.info.label,
        date.today(),
        theme,
        ROLLING_WEEKS,
        narrow=is_phone(viewport),
    )
    return (
        summary_table(da, db),
        correlation_table(stats.correlation_windows(changes), unit_a, unit_b),
        rolling_fig,
        why_card(da.info.id, db.info.id),
        freshness_panel([da, db]),
    )


@callback(
    Output(ids.LEAD_LAG, "figure"),
    Output(ids.LEAD_LAG_TEXT, "children"),
    Output(ids.SPREAD, "figure"),
    Output(ids.SCATTER, "figure"),
    Input(ids.SERIES_A, "value"),
    Input(ids.SERIES_B, "value"),
    Input(ids.RANGE, "value"),
    Input(app_ids.THEME_STORE, "data"),
    Input(ids.LIVE.landed, "data"),
    Input(ids.VIEWPORT, "data"),
)
def update_range_views(a, b, range_key, theme, _landed=None, viewport=None):
    """Lead/lag, spread view and scatter over the chosen range (memoised per data version:
    building the three figures costs ~90 ms and every visit asks for the default pair)."""
    da, db = _load(a, b)
    range_key = _range_key(range_key)
    today = date.today()
    narrow = is_phone(viewport)
    key = (
        range_key,
        theme if isinstance(theme, str) else repr(theme),  # the browser may send anything
        narrow,
        today,
        main_episodes(),
        series_fingerprint(da),
        series_fingerprint(db),
    )
    return _RANGE_MEMO.get_or_compute(
        key, lambda: _range_views(da, db, range_key, theme, today, narrow)
    )


# Outputs of `update_range_views` by (range, theme, phone or not, day, episodes, both series'
# data). The figures are shared between requests: Dash only serialises them, nobody alters them.
RANGE_MEMO_SIZE = 16
_RANGE_MEMO = BoundedMemo(RANGE_MEMO_SIZE)


def _range_views(
    da: SeriesData, db: SeriesData, range_key: str, theme, today: date, narrow: bool = False
) -> tuple:
    changes = _changes(da, db)
    label_a, label_b = da.info.label, db.info.label
    unit_a, unit_b = _change_units(da, db)
    if changes.empty:
        empty = message_figure("These two series do not overlap in time.", theme)
        return empty, "No overlapping weeks.", empty, empty
    start, visible = _visible(changes, range_key)
    lead_lag = stats.cross_correlation(visible, MAX_LAG_WEEKS)
    sentence = stats.lead_lag_sentence(lead_lag, label_a, label_b)
    period = f" Range: {start:%Y-%m-%d} → {changes.index[-1]:%Y-%m-%d}."
    fit = stats.linear_fit(visible)
    z = stats.zscore_spread(
        da.values, da.info.change_kind, db.values, db.info.change_kind, start, changes.index[-1]
    )
    return (
        figs.lead_lag_figure(lead_lag, label_a, label_b, theme, narrow),
        sentence + period,
        figs.spread_figure(z, label_a, label_b, main_episodes(), today, theme, narrow),
        figs.scatter_figure(visible, fit, label_a, unit_a, label_b, unit_b, theme, narrow=narrow),
    )


@callback(
    Output(ids.SHIFT_GRAPH, "figure"),
    Output(ids.SHIFT_SCATTER, "figure"),
    Output(ids.SHIFT_TEXT, "children"),
    Output(ids.SHIFT_PEAK, "children"),
    Output(ids.SHIFT_PEAK, "disabled"),
    Output(ids.PEAK_LAG, "data"),
    Input(ids.SERIES_A, "value"),
    Input(ids.SERIES_B, "value"),
    Input(ids.RANGE, "value"),
    Input(ids.SHIFT, "value"),
    Input(app_ids.THEME_STORE, "data"),
    Input(ids.LIVE.landed, "data"),
    Input(ids.VIEWPORT, "data"),
)
def update_lead_shift(a, b, range_key, shift, theme, _landed=None, viewport=None):
    """A drawn `shift` weeks later beside B, the scatter and r at that shift, and the peak
    lag for the "use the peak lag" button, all on the lead/lag's aligned weeks."""
    da, db = _load(a, b)
    weeks, note = clamp_shift(shift)
    changes = _changes(da, db)
    if changes.empty:
        empty = message_figure("These two series do not overlap in time.", theme)
        return empty, empty, note or "No overlapping weeks.", "Use the peak lag", True, None
    _, visible = _visible(changes, _range_key(range_key))
    peak = stats.cross_correlation(visible, MAX_LAG_WEEKS).peak_lag
    pair = shifted_pair(visible, weeks)
    a_shifted, b_levels = shifted_levels(
        stats.weekly_levels(da.values, visible.index),
        stats.weekly_levels(db.values, visible.index),
        weeks,
    )
    label_a, label_b = da.info.label, db.info.label
    unit_a, unit_b = _change_units(da, db)
    look = (theme, is_phone(viewport))
    return (
        shifted_levels_figure(
            a_shifted, b_levels, weeks, label_a, da.info.units, label_b, db.info.units, *look
        ),
        shifted_scatter_figure(pair, label_a, unit_a, label_b, unit_b, *look),
        shift_sentence(pair, label_a, label_b, MAX_LAG_WEEKS, note),
        "Use the peak lag" if peak is None else f"Use the peak lag ({signed(peak)} wk)",
        peak is None,
        peak,
    )


@callback(
    Output(ids.SHIFT, "value"),
    Input(ids.SHIFT_PEAK, "n_clicks"),
    State(ids.PEAK_LAG, "data"),
    prevent_initial_call=True,
)
def use_peak_lag(_clicks, peak):
    """Set the shift to the lead/lag peak (nothing when there is none or it is malformed)."""
    weeks, note = clamp_shift(peak)
    if peak is None or note is not None:
        return no_update
    return weeks


@callback(
    *live_outputs(ids.LIVE),
    Input(ids.SERIES_A, "value"),
    Input(ids.SERIES_B, "value"),
    State(ids.LIVE.since, "data"),
)
def live_pair(a, b, since=None):
    """Poll while either series of the pair is being fetched."""
    da, db = _load(a, b)
    return live_values([da.info.id, db.info.id], since)


register_live_updates(ids.LIVE)
register_viewport(ids.VIEWPORT)


@callback(
    Output(ids.SERIES_A, "value"),
    Output(ids.SERIES_B, "value"),
    Input(ids.SWAP, "n_clicks"),
    State(ids.SERIES_A, "value"),
    State(ids.SERIES_B, "value"),
    prevent_initial_call=True,
)
def swap(_clicks, a, b):
    return b, a


# The address bar follows the pickers without a page reload (replaceState does not notify
# Dash's router), so copying the URL reproduces the view.
clientside_callback(
    """function(a, b, range, shift) {
        if (!a || !b) { return window.dash_clientside.no_update; }
        const params = new URLSearchParams({a: a, b: b, range: range || '5Y'});
        const weeks = Math.round(Number(shift));
        if (shift !== null && shift !== '' && Number.isFinite(weeks) && weeks !== 0) {
            params.set('shift', String(Math.max(-LIMIT, Math.min(LIMIT, weeks))));
        }
        const target = window.location.pathname + '?' + params.toString();
        if (window.location.pathname.endsWith('/compare') &&
            window.location.pathname + window.location.search !== target) {
            window.history.replaceState(window.history.state, '', target);
        }
        return '';
    }""".replace("LIMIT", str(SHIFT_LIMIT_WEEKS)),
    Output(ids.URL_SYNC, "children"),
    Input(ids.SERIES_A, "value"),
    Input(ids.SERIES_B, "value"),
    Input(ids.RANGE, "value"),
    Input(ids.SHIFT, "value"),
)
