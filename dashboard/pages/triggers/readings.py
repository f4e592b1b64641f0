"""The only place the Triggers page reads data: the readings and the phase for the grid, and
one trigger's history view, each memoised per data version."""

from __future__ import annotations

from datetime import date

from dashboard.analytics import triggers as engine
from dashboard.analytics.triggers import PhaseReading, Trigger, TriggerReading
from dashboard.data import SeriesData, get_store
from dashboard.episodes import main_episodes
from dashboard.figures import triggers as figs
from dashboard.memo import BoundedMemo, series_fingerprint

PHASE_SERIES = ("WALCL", "TREAST", "WSHOMCB")

# Evaluating the triggers and the phase costs ~50 ms; the data behind them changes a few times
# a day. So readings are memoised on the identity of the data: the triggers, `today` and a
# fingerprint of every input series (its observations and its status). New or revised data,
# a new day or an edited triggers file gives a new key, hence fresh readings.
MEMO_SIZE = 8  # a handful of keys: one per data version still being served

HISTORY_MEMO_SIZE = 24  # one history view per trigger and theme (a figure is ~0.5 MB)

_memo = BoundedMemo(MEMO_SIZE)
_history_memo = BoundedMemo(HISTORY_MEMO_SIZE)


def gather(
    triggers: tuple[Trigger, ...], today: date
) -> tuple[list[TriggerReading], PhaseReading, dict[str, SeriesData]]:
    """Readings, the phase and the series behind them, from the data layer (readings and
    phase memoised per data version, see above)."""
    store = get_store()
    datas = store.get_many(
        engine.required_series(triggers) + list(PHASE_SERIES) + engine.bills_ids()
    )
    episodes = main_episodes()
    key = (triggers, today, episodes, tuple(series_fingerprint(d) for d in datas.values()))

    def compute() -> tuple[tuple[TriggerReading, ...], PhaseReading]:
        readings = engine.evaluate_all(triggers, datas, today)
        bills = datas.get(engine.BILLS_SERIES)
        phase = engine.phase_tracker(
            datas["WALCL"].values,
            datas["TREAST"].values,
            datas["WSHOMCB"].values,
            episodes,
            bills=bills.values if bills is not None else None,
        )
        return tuple(readings), phase

    readings, phase = _memo.get_or_compute(key, compute)
    return list(readings), phase, datas


# Building a Plotly figure object costs 5–10 ms (validation); a page draws a dozen gauges and a
# placeholder, from a few distinct inputs. So each is built once, kept as its JSON text, and


def history(trigger: Trigger, theme) -> tuple:
    """(history figure, reading, fired spells, the series behind them) of one trigger."""
    datas = get_store().get_many(trigger.inputs)
    today = date.today()
    episodes = main_episodes()
    key = (
        trigger,
        today,
        theme if isinstance(theme, str) else repr(theme),  # the browser may send anything
        episodes,
        tuple(series_fingerprint(d) for d in datas.values()),
    )
    # The figure is shared between requests with the same data: Dash only serialises it.
    figure, reading, spells = _history_memo.get_or_compute(
        key, lambda: _history_view(trigger, datas, today, theme, episodes)
    )
    return figure, reading, spells, datas


def _history_view(
    trigger: Trigger, datas: dict[str, SeriesData], today: date, theme, episodes
) -> tuple:
    """(history figure, reading, fired spells) of one trigger; ~50 ms, hence memoised."""
    values = engine.trigger_values(trigger, {k: d.values for k, d in datas.items()})
    reading = engine.evaluate_all((trigger,), datas, today)[0]
    spells = engine.fired_spells(values, trigger.fires(values))
    figure = figs.history_figure(
        values,
        trigger.threshold,
        trigger.op,
        trigger.units,
        spells,
        episodes,
        today,
        theme,
        calm=reading.calm,
        value_label=trigger.name,
        axis_note=f"change over {trigger.lookback_weeks} weeks" if trigger.is_change else "",
    )
    return figure, reading, tuple(spells)
