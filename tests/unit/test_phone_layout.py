"""The phone layout of the Compare and Episodes charts, without a browser: which widths count
as a phone (whatever the browser sends), and what `phone_layout` does to a finished chart."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from dashboard.components import is_phone
from dashboard.figures.common import PHONE_TITLE_CHARS, phone_layout


@pytest.mark.parametrize(
    ("viewport", "expected"),
    [
        (390, True),
        (767.5, True),
        (768, False),
        (1440, False),
        (None, False),
        ("390", False),
        ([390], False),
        (-390, False),
        (1e12, False),
        (float("nan"), False),
    ],
)
def test_phl001_only_a_real_narrow_width_is_a_phone(viewport, expected):
    assert is_phone(viewport) is expected


def _chart() -> go.Figure:
    fig = go.Figure([go.Scatter(x=[1, 2], y=[3, 4], name=f"line {i}") for i in range(3)])
    fig.update_layout(height=460, margin={"l": 70, "r": 20, "t": 40, "b": 50}, title="R² = 0.5")
    fig.update_xaxes(
        title_text="Lag in weeks (positive: Fed balance sheet moves first; negative: TLT first)"
    )
    fig.update_yaxes(title_text="TLT: weekly change (log %)")
    return fig


def test_phl002_desktop_chart_is_left_as_it_is():
    assert phone_layout(_chart(), False).to_plotly_json() == _chart().to_plotly_json()


def test_phl003_phone_chart_wraps_titles_keeps_plot_height_legend_below():
    fig = phone_layout(_chart(), True)
    lines = fig.layout.xaxis.title.text.split("<br>")
    assert len(lines) > 1 and all(len(line) <= PHONE_TITLE_CHARS for line in lines)
    assert " ".join(lines) == _chart().layout.xaxis.title.text  # nothing dropped
    assert fig.layout.yaxis.title.text == "TLT: weekly change (log %)"  # short: one line
    margin = fig.layout.margin
    assert fig.layout.height - margin.t - margin.b == 460 - 40 - 50  # the plot keeps its height
    assert (fig.layout.legend.yref, fig.layout.legend.y, fig.layout.legend.orientation) == (
        "container",
        0,
        "h",
    )
    # The title moved into an annotation over the plot's top edge (under the modebar).
    assert not fig.layout.title.text
    (title,) = [a for a in fig.layout.annotations if a.name == "phone-title"]
    assert title.text == "R² = 0.5" and (title.yref, title.y, title.yanchor) == (
        "paper",
        1,
        "bottom",
    )
