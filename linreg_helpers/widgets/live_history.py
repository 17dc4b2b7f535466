"""The dashboard's figure with a fast redraw: :class:`LiveHistoryFigure`.

It keeps a rendered copy of everything but the three curves (axes, ticks, labels, grid) and
reuses it while the axis limits stay the same; limits snap to round tick values, so a slider
moved a little redraws only the curves. This is matplotlib's public blitting API
(``canvas.copy_from_bbox``, ``canvas.restore_region``, ``Axes.draw_artist``); the picture is
the same as a full draw's.
"""

from __future__ import annotations

from collections import OrderedDict

from matplotlib.figure import Figure

from linreg_helpers.plotting import HistoryFigure
from linreg_helpers.widgets.frame import live_figure

#: How many rendered sets of axes the fast redraw keeps (≈ 5.7 MB each for the dashboard at 2×).
CACHED_BACKGROUNDS = 8


class LiveHistoryFigure(HistoryFigure):
    """:class:`~linreg_helpers.plotting.HistoryFigure` on an Agg canvas of its own
    (:func:`~.frame.live_figure`), whose :meth:`render` redraws only its curves while the
    axes stay the same (takes the same arguments)."""

    def __init__(self, *args, **kwargs) -> None:
        # Rendered decorations per set of axis limits, most recently used last: switching
        # back (sum <-> mean, an optimizer and back, across the stability edge and back)
        # finds its axes already rendered.
        self._backgrounds: OrderedDict[tuple, object] = OrderedDict()
        #: How many renders drew every artist (the others reused a background).
        self.full_draws = 0
        super().__init__(*args, **kwargs)

    @staticmethod
    def new_figure(figsize: tuple[float, float]) -> Figure:
        return live_figure(figsize)

    def forget_rendered_axes(self) -> None:
        """Drop the cached renderings (the next render draws every artist)."""
        self._backgrounds.clear()

    def render(self) -> None:
        """Draw the current state into the figure's Agg canvas, reusing the rendered
        decorations while the axes are unchanged."""
        canvas = self.figure.canvas
        renderer = canvas.get_renderer()
        key = (renderer.width, renderer.height, self.figure.dpi,
               tuple((ax.get_xlim(), ax.get_ylim(), ax.get_yscale(), ax.get_position().bounds)
                     for ax in self.axes.values()))
        # In matplotlib's order, the curves (zorder 2) come after the grid and reference
        # lines and before the spines (2.5): so the cached layer holds all but curves and
        # spines, and those two are drawn on top of it in that order.
        on_top = list(self.lines.values()) + [
            spine for ax in self.axes.values() for spine in ax.spines.values()
            if spine.get_visible()]
        background = self._backgrounds.pop(key, None)
        if background is None:
            for artist in on_top:
                artist.set_visible(False)
            try:
                canvas.draw()
            finally:
                for artist in on_top:
                    artist.set_visible(True)
            self.full_draws += 1
            background = canvas.copy_from_bbox(self.figure.bbox)
            if len(self._backgrounds) >= CACHED_BACKGROUNDS:
                self._backgrounds.popitem(last=False)
        else:
            canvas.restore_region(background)
        self._backgrounds[key] = background
        for artist in on_top:
            artist.axes.draw_artist(artist)


__all__ = ["CACHED_BACKGROUNDS", "LiveHistoryFigure"]
