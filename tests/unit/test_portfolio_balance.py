"""The portfolio-balance model against independent numpy computations and closed forms."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics import portfolio_balance as pb


def quarters(n: int) -> tuple[date, ...]:
    return tuple(d.date() for d in pd.date_range("2026-12-31", periods=n, freq="QE"))


def make_path(values) -> pb.Path:
    return pb.Path(quarters(len(values)), tuple(float(v) for v in values))


def numpy_pbe(x: np.ndarray, normal: float, beta: float, gamma: float) -> np.ndarray:
    """Direct double sum with a discount matrix, unlike the module's backward recursion."""
    n = len(x)
    t = np.arange(n)
    power = t[None, :] - t[:, None]  # s - t
    discount = np.where(power >= 0, beta ** np.clip(power, 0, None), 0.0)
    return gamma * discount @ (x - normal)


def test_matches_direct_numpy_double_sum():
    rng = np.random.default_rng(7)
    normal, beta, c_bp = 4.0, 0.99, 80.0
    base = np.concatenate([4.0 + rng.uniform(5, 15, 39), [normal]])
    alt = np.concatenate([4.0 + rng.uniform(0, 20, 39), [normal]])
    gamma = c_bp / float(np.sum(beta ** np.arange(40) * (base - normal)))
    result = pb.run_model(make_path(base), make_path(alt), beta=beta, normal=normal, c_bp=c_bp)
    assert result.gamma == pytest.approx(gamma, rel=1e-12)
    np.testing.assert_allclose(result.baseline_bp, numpy_pbe(base, normal, beta, gamma))
    np.testing.assert_allclose(result.scenario_bp, numpy_pbe(alt, normal, beta, gamma))
    expected_impact = numpy_pbe(base, normal, beta, gamma) - numpy_pbe(alt, normal, beta, gamma)
    assert result.impact_bp == pytest.approx(expected_impact[0])
    np.testing.assert_allclose(result.impact_path_bp, expected_impact)


def test_calibration_puts_baseline_at_c_on_day_zero():
    base = [20.0, 18.0, 15.0, 10.0, 6.0, 4.0]
    result = pb.run_model(make_path(base), normal=4.0, beta=0.97, c_bp=55.0)
    assert result.baseline_bp[0] == pytest.approx(55.0)


def test_constant_excess_closed_form():
    # The memo's closed form: a constant excess e over t = 0..T gives
    # PBE_0 = γ·e·(1 − β^(T+1))/(1 − β).
    normal, beta, e, big_t = 4.0, 0.99, 6.0, 40
    gamma = 0.37
    constant = np.full(big_t + 1, normal + e)
    pbe0 = pb.pbe_path(constant, normal, beta, gamma)[0]
    assert pbe0 == pytest.approx(gamma * e * (1 - beta ** (big_t + 1)) / (1 - beta))
    # The same on a valid path (ending at x̄): the last quarter contributes nothing.
    ending = np.concatenate([np.full(big_t, normal + e), [normal]])
    pbe0_end = pb.pbe_path(ending, normal, beta, gamma)[0]
    assert pbe0_end == pytest.approx(gamma * e * (1 - beta**big_t) / (1 - beta))


def test_pbe_falls_to_zero_at_horizon_and_declines_on_a_runoff():
    base = np.linspace(15.0, 4.0, 41)
    result = pb.run_model(make_path(base))
    assert result.baseline_bp[-1] == pytest.approx(0.0, abs=1e-12)
    assert all(a > b for a, b in zip(result.baseline_bp, result.baseline_bp[1:]))


def test_c30_scales_every_figure_by_30_over_80():
    base = np.linspace(15.0, 4.0, 41)
    alt = np.concatenate([np.linspace(20.0, 4.0, 41)])
    r80 = pb.run_model(make_path(base), make_path(alt), c_bp=80.0)
    r30 = pb.run_model(make_path(base), make_path(alt), c_bp=30.0)
    np.testing.assert_allclose(r30.baseline_bp, np.array(r80.baseline_bp) * 30 / 80)
    np.testing.assert_allclose(r30.scenario_bp, np.array(r80.scenario_bp) * 30 / 80)
    assert r30.impact_bp == pytest.approx(r80.impact_bp * 30 / 80)


def test_more_holdings_lowers_the_term_premium():
    base = np.linspace(15.0, 4.0, 41)
    alt = base + np.concatenate([np.full(40, 2.0), [0.0]])  # QE: more holdings, same end
    result = pb.run_model(make_path(base), make_path(alt))
    assert result.impact_bp < 0  # term premium falls on announcement


def test_beta_one_is_allowed_and_is_a_plain_sum():
    base = [10.0, 8.0, 4.0]
    result = pb.run_model(make_path(base), beta=1.0, c_bp=12.0)
    assert result.gamma == pytest.approx(12.0 / (6 + 4 + 0))
    assert result.baseline_bp == pytest.approx((12.0, 12.0 * 4 / 10, 0.0))


@pytest.mark.parametrize("beta", [0.0, -0.5, 1.01, float("nan"), "abc"])
def test_beta_outside_unit_interval_is_refused(beta):
    with pytest.raises(pb.ModelInputError, match="beta"):
        pb.run_model(make_path([10.0, 4.0]), beta=beta)


def test_last_value_not_normal_is_refused():
    with pytest.raises(pb.ModelInputError, match="must end at the normal level 4"):
        pb.run_model(make_path([10.0, 5.0]))


def test_zero_excess_baseline_is_refused():
    with pytest.raises(pb.ModelInputError, match="sum to 0"):
        pb.run_model(make_path([4.0, 4.0, 4.0]))
    # above and below x̄ cancelling out also has no calibration
    with pytest.raises(pb.ModelInputError, match="sum to 0"):
        pb.run_model(make_path([5.0, 3.0, 4.0]), beta=1.0)


def test_lengths_differ_is_refused():
    with pytest.raises(pb.ModelInputError, match="3 quarters but the scenario has 2"):
        pb.run_model(make_path([10.0, 8.0, 4.0]), make_path([10.0, 4.0]))


def test_dates_out_of_order_is_refused():
    dates = quarters(3)
    bad = pb.Path((dates[0], dates[2], dates[1]), (10.0, 8.0, 4.0))
    with pytest.raises(pb.ModelInputError, match="out of order"):
        pb.run_model(bad)


def test_no_scenario_has_no_impact():
    result = pb.run_model(make_path([10.0, 4.0]))
    assert result.scenario_bp is None and result.impact_bp is None
