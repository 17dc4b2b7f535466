"""The live widgets: ``from linreg_helpers.widgets import TrainingDashboard, LandscapeExplorer``,
and ``LiveLossCurves`` (notebook 08: loss curves drawn by a training loop as it runs).

:mod:`.dashboard` (notebook 04) and :mod:`.explorer` (notebook 06) re-train on every change of
their controls (:mod:`.controls`) and redraw one figure in place; :mod:`.status` writes their
status lines. :mod:`.frame` draws the figure with Agg in the kernel and shows it as a picture
(:mod:`.live_history`: the dashboard's fast redraw); :mod:`.screen_fit` fits it to the screen.
"""

from linreg_helpers.widgets.dashboard import TrainingDashboard
from linreg_helpers.widgets.explorer import LandscapeExplorer
from linreg_helpers.widgets.live_curves import LiveLossCurves

__all__ = ["LandscapeExplorer", "LiveLossCurves", "TrainingDashboard"]
