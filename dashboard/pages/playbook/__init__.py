"""The QE and QT playbooks (/playbook/qe, /playbook/qt): the trigger and its live state, what
every asset did during and after past episodes (sortable, with verdicts and links to the deep
dives), what to watch, and how often it has played out."""

import dash

from dashboard.pages.playbook import callbacks  # noqa: F401  (registers the callbacks)
from dashboard.pages.playbook import layout as page

MENU = "Playbooks"  # registry attribute: the navbar menu these pages belong in

dash.register_page(
    f"{__name__}.qe",
    path="/playbook/qe",
    name="QE playbook",
    title="QE playbook · Fed Liquidity",
    description="What markets did when the Fed's balance sheet grew.",
    layout=page.qe_layout,
    order=6,
    menu=MENU,
)
dash.register_page(
    f"{__name__}.qt",
    path="/playbook/qt",
    name="QT playbook",
    title="QT playbook · Fed Liquidity",
    description="What markets did when the Fed's balance sheet shrank.",
    layout=page.qt_layout,
    order=7,
    menu=MENU,
)
