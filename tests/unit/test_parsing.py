"""FRED's CSV format in every shape it comes in, and every way a file can be wrong."""

from __future__ import annotations

import pytest

from dashboard.data.parsing import DataFormatError, clean_observations, parse_fred_csv


def dated(series) -> list[tuple[str, float]]:
    return list(zip(series.index.strftime("%Y-%m-%d"), series.to_numpy().tolist()))


@pytest.mark.parametrize("header", ["observation_date", "DATE", "date"])
def test_prs001_both_fred_headers_and_dot_for_missing(header):
    text = f"{header},DGS10\n2024-01-02,3.95\n2024-01-03,.\n2024-01-04,3.99\n"
    series = parse_fred_csv(text, expected_id="DGS10")
    assert dated(series) == [("2024-01-02", 3.95), ("2024-01-04", 3.99)]
    assert series.dtype == "float64" and series.index.name == "date"


def test_prs002_unsorted_and_repeated_rows_are_cleaned():
    text = (
        "observation_date,WALCL\n2024-01-17,7.5\n2024-01-03,7.7\n2024-01-10,7.6\n2024-01-10,7.6\n\n"
    )
    assert dated(parse_fred_csv(text)) == [
        ("2024-01-03", 7.7),
        ("2024-01-10", 7.6),
        ("2024-01-17", 7.5),
    ]


def test_prs003_conflicting_duplicate_dates_are_rejected():
    text = "observation_date,WALCL\n2024-01-03,7.7\n2024-01-10,7.6\n2024-01-03,7.9\n"
    with pytest.raises(DataFormatError, match="two different values for 2024-01-03"):
        parse_fred_csv(text, "data folder file WALCL.csv")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty file"),
        ("   \n", "empty file"),
        ("<!DOCTYPE html><html><body>Oops</body></html>", "web page"),
        ("observation_date,WALCL\n", "no observations"),
        ("observation_date,WALCL\n2024-01-03,.\n", "no observations"),
        ("day,WALCL\n2024-01-03,7.7\n", "expected a header"),
        ("observation_date\n2024-01-03\n", "expected a header"),
        ("observation_date,WALCL\n2024-01-03,seven\n", "line 2: value 'seven' is not a number"),
        (
            "observation_date,WALCL\n2024-01-03,7\n03/01/2024,7\n",
            "line 3: '03/01/2024' is not a date",
        ),
        ("observation_date,WALCL\n2024-01-03,inf\n", "infinite"),
        ("observation_date,WALCL\n\x00\x01\x02\xff,\x00\n", "binary"),
    ],
)
def test_prs004_bad_files_say_what_is_wrong(text, words):
    with pytest.raises(DataFormatError, match=words):
        parse_fred_csv(text, "WALCL.csv")


def test_prs005_a_file_for_another_series_is_refused():
    with pytest.raises(DataFormatError, match="holds 'WTREGEN', not 'WALCL'"):
        parse_fred_csv("observation_date,WTREGEN\n2024-01-03,7.7\n", expected_id="WALCL")


def test_prs006_messages_name_the_file():
    with pytest.raises(DataFormatError) as caught:
        parse_fred_csv("nonsense", "data folder file SPY.csv")
    assert str(caught.value).startswith("data folder file SPY.csv:")


def test_prs007_clean_observations_from_a_source_answer():
    import pandas as pd

    raw = pd.Series(
        ["1.5", None, "2.5", "x"],
        index=pd.to_datetime(
            ["2024-01-03 13:30", "2024-01-04 00:00", "2024-01-02 00:00", "2024-01-05 00:00"]
        ),
    )
    series = clean_observations(raw, "answer")
    # Times are dropped to the day, gaps and non-numbers are not observations.
    assert dated(series) == [("2024-01-02", 2.5), ("2024-01-03", 1.5)]
    assert str(series.index.dtype) == "datetime64[us]"
