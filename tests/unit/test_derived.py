"""Net liquidity and SOFR − IORB against hand-computed numbers."""

import math

import pandas as pd

from dashboard.data.derived import net_liquidity, sofr_minus_iorb


def s(pairs):
    return pd.Series({pd.Timestamp(d): v for d, v in pairs}, dtype="float64")


def test_der001_net_liquidity_units_and_asof_rrp():
    walcl = s([("2024-01-03", 7_700_000), ("2024-01-10", 7_690_000), ("2024-01-17", 7_680_000)])
    tga = s([("2024-01-03", 700_000), ("2024-01-10", 750_000), ("2024-01-17", 800_000)])
    # RRP in billions: Tue 01-02, then Wed 01-10; nothing in the week to 01-17 (counts as 0)
    rrp = s([("2024-01-02", 600.5), ("2024-01-10", 580.0), ("2024-01-18", 999.0)])
    got = net_liquidity(walcl, tga, rrp)
    assert got.to_dict() == {
        pd.Timestamp("2024-01-03"): 7_700_000 - 700_000 - 600_500,
        pd.Timestamp("2024-01-10"): 7_690_000 - 750_000 - 580_000,
        pd.Timestamp("2024-01-17"): 7_680_000 - 800_000 - 0,  # 01-18 is the future: unused
    }


def test_der002_net_liquidity_starts_with_rrp_history():
    walcl = s([("2020-12-30", 7_000_000), ("2021-01-06", 7_100_000)])
    tga = s([("2020-12-30", 1_600_000), ("2021-01-06", 1_700_000)])
    rrp = s([("2021-01-04", 5.0)])
    got = net_liquidity(walcl, tga, rrp)
    assert list(got.index) == [pd.Timestamp("2021-01-06")]


def test_der003_sofr_minus_iorb_in_basis_points():
    sofr = s([("2025-10-30", 4.22), ("2025-10-31", 4.22), ("2025-11-03", 3.92)])
    iorb = s([("2025-10-29", 4.15), ("2025-10-30", 3.90), ("2025-11-01", 3.90)])
    got = sofr_minus_iorb(sofr, iorb)
    assert [round(v, 6) for v in got] == [32.0, 32.0, 2.0]
    assert not math.isnan(got.iloc[0])
