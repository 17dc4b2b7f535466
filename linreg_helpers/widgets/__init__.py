"""The live widgets: ``from linreg_helpers.widgets import TrainingDashboard, LandscapeExplorer``.

:mod:`.dashboard` (notebook 04) and :mod:`.explorer` (notebook 06) re-train on every change of
their controls (:mod:`.controls`) and redraw one figure in place; :mod:`.status` writes their
status lines. :mod:`.live_history`, :mod:`.live_canvas` and :mod:`.screen_fit` draw the figure
in the browser and fit it to the screen.
"""

from linreg_helpers.widgets.dashboard import TrainingDashboard
from linreg_helpers.widgets.explorer import LandscapeExplorer

__all__ = ["LandscapeExplorer", "TrainingDashboard"]
