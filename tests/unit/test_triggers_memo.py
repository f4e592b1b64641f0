"""The Triggers page memoises its readings per data version: the same data gives the very
readings the engine computes, without recomputing; new, revised or older data, or a new day,
gives fresh readings."""

from __future__ import annotations

import dataclasses
import importlib
import json
from datetime import date, timedelta

import pytest
from plotly.io.json import to_json_plotly

from dashboard.analytics import triggers as engine
from dashboard.episodes import main_episodes
from tests.conftest import requires_series

TODAY = date(2026, 9, 1)


@pytest.fixture
def page(dash_app, snapshot_store):
    module = importlib.import_module("dashboard.pages.triggers")
    module._memo.clear()
    module._history_memo.clear()
    yield module
    module._memo.clear()
    module._history_memo.clear()


@pytest.fixture
def evaluations(page, monkeypatch):
    """Counts the engine's evaluations done on behalf of the page."""
    calls = []
    real = engine.evaluate_all

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "evaluate_all", counting)
    return calls


class EditedStore:
    """The real store with one series replaced, as a refreshed or revised download would."""

    def __init__(self, store, series_id, edit):
        self.store, self.series_id, self.edit = store, series_id, edit

    def get(self, series_id):
        data = self.store.get(series_id)
        if series_id != self.series_id:
            return data
        return dataclasses.replace(data, values=self.edit(data.values))

    def get_many(self, ids):
        return {sid: self.get(sid) for sid in ids}


def direct(page, triggers, datas, today):
    """Readings and phase straight from the engine, no memo."""
    phase = engine.phase_tracker(*(datas[s].values for s in page.PHASE_SERIES), main_episodes())
    return engine.evaluate_all(triggers, datas, today), phase


def test_trgmemo001_repeat_visit_reuses_identical_readings(page, evaluations, snapshot_store):
    triggers = engine.load_triggers()
    first, phase1, datas = page.gather(triggers, TODAY)
    second, phase2, _ = page.gather(triggers, TODAY)
    assert len(evaluations) == 1  # the second visit did not evaluate again
    want, want_phase = direct(page, triggers, datas, TODAY)
    assert first == want and second == want
    assert phase1 == want_phase and phase2 == want_phase
    # Callers get their own list: altering it does not alter the next visit's readings.
    second.clear()
    assert page.gather(triggers, TODAY)[0] == want


def test_trgmemo002_new_observations_give_new_readings(
    page, evaluations, snapshot_store, monkeypatch
):
    triggers = engine.load_triggers()
    trigger = next(t for t in triggers if t.inputs[0] not in page.PHASE_SERIES)
    sid = trigger.inputs[0]
    # The data as it was before its latest observation arrived, then as it is now.
    older = EditedStore(snapshot_store, sid, lambda v: v.iloc[:-1])
    monkeypatch.setattr(page.readings, "get_store", lambda: older)
    before, _, older_datas = page.gather(triggers, TODAY)
    monkeypatch.setattr(page.readings, "get_store", lambda: snapshot_store)
    after, _, datas = page.gather(triggers, TODAY)
    assert len(evaluations) == 2
    assert before == direct(page, triggers, older_datas, TODAY)[0]
    assert after == direct(page, triggers, datas, TODAY)[0]
    old_reading = next(r for r in before if r.id == trigger.id)
    new_reading = next(r for r in after if r.id == trigger.id)
    assert (old_reading.as_of, old_reading.value) != (new_reading.as_of, new_reading.value)


def test_trgmemo003_revised_past_values_give_new_readings(
    page, evaluations, snapshot_store, monkeypatch
):
    """Same dates, same length, different numbers (a revision) must not hit the memo."""
    triggers = engine.load_triggers()
    trigger = next(t for t in triggers if t.inputs[0] not in page.PHASE_SERIES)
    sid = trigger.inputs[0]
    plain, _, _ = page.gather(triggers, TODAY)
    revised = EditedStore(snapshot_store, sid, lambda v: v * 3 + 7)
    monkeypatch.setattr(page.readings, "get_store", lambda: revised)
    readings, _, datas = page.gather(triggers, TODAY)
    assert len(evaluations) == 2
    assert readings == direct(page, triggers, datas, TODAY)[0]
    reading = next(r for r in readings if r.id == trigger.id)
    before = next(r for r in plain if r.id == trigger.id)
    assert reading.value != before.value


def test_trgmemo004_a_new_day_gives_new_ages(page, evaluations):
    triggers = engine.load_triggers()
    today, _, _ = page.gather(triggers, TODAY)
    tomorrow, _, _ = page.gather(triggers, TODAY + timedelta(days=1))
    assert len(evaluations) == 2
    aged = [(a.age_days, b.age_days) for a, b in zip(today, tomorrow) if a.age_days is not None]
    assert aged and all(b == a + 1 for a, b in aged)


def test_trgmemo005_cached_gauges_match_fresh_ones_and_stay_private(page):
    from dashboard.figures import triggers as figs

    for proximity, status, theme in ((42.5, "quiet", "light"), (None, "no data", "dark")):
        fresh = json.loads(to_json_plotly(figs.gauge_figure(proximity, status, theme)))
        first = page.gauge_json(proximity, status, theme)
        assert first == fresh
        first["layout"]["height"] = 999  # a caller scribbling on its copy ...
        assert page.gauge_json(proximity, status, theme) == fresh  # ... changes nothing
        restyled = page.restyle_gauges(
            theme,
            [{"type": page.GAUGE, "trigger": "x"}],
            [{"id": "x", "proximity": proximity, "status": status}],
        )[0]
        assert json.loads(to_json_plotly(restyled)) == fresh


def test_trgmemo006_history_view_follows_the_data_and_the_theme(
    page, evaluations, snapshot_store, monkeypatch
):
    trigger = next(t for t in engine.load_triggers() if t.id == "rrp_drained")
    title, figure, _ = page.render_history(trigger.id, "dark")
    again = page.render_history(trigger.id, "dark")[1]
    assert len(evaluations) == 1  # the repeat view came from the memo
    values = engine.trigger_values(
        trigger, {s: d.values for s, d in snapshot_store.get_many(trigger.inputs).items()}
    )
    assert list(again.data[0].y) == list(figure.data[0].y) == list(values)
    light = page.render_history(trigger.id, "light")[1]
    assert len(evaluations) == 2
    assert light.layout.template.layout.plot_bgcolor != figure.layout.template.layout.plot_bgcolor
    sid = trigger.inputs[0]
    revised = EditedStore(snapshot_store, sid, lambda v: v + 1.0)
    monkeypatch.setattr(page.readings, "get_store", lambda: revised)
    after = page.render_history(trigger.id, "dark")[1]
    assert len(evaluations) == 3
    want = engine.trigger_values(
        trigger, {s: d.values for s, d in revised.get_many(trigger.inputs).items()}
    )
    assert list(after.data[0].y) == list(want) != list(values)


@requires_series("TLT")
def test_trgmemo007_compare_range_views_reused_until_the_data_changes(
    dash_app, snapshot_store, monkeypatch
):
    compare = importlib.import_module("dashboard.pages.compare")
    compare._RANGE_MEMO.clear()
    built = []
    real = compare.stats.cross_correlation

    def counting(*args, **kwargs):
        built.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(compare.stats, "cross_correlation", counting)
    first = compare.update_range_views("WALCL", "TLT", "5Y", "light")
    again = compare.update_range_views("WALCL", "TLT", "5Y", "light")
    assert len(built) == 1 and again[1] == first[1]
    assert again[0].to_plotly_json() == first[0].to_plotly_json()
    compare.update_range_views("WALCL", "TLT", "3Y", "light")  # another range: computed
    assert len(built) == 2
    # A revised TLT (same dates, other numbers) must give a new lead/lag, not the memo's.
    revised = EditedStore(snapshot_store, "TLT", lambda v: v.iloc[::-1].set_axis(v.index))
    monkeypatch.setattr(compare.callbacks, "get_store", lambda: revised)
    after = compare.update_range_views("WALCL", "TLT", "5Y", "light")
    assert len(built) == 3
    assert after[0].to_plotly_json() != first[0].to_plotly_json()
    compare._RANGE_MEMO.clear()
