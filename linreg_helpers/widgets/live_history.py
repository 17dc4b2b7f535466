"""The dashboard's figure with a fast redraw: :class:`LiveHistoryFigure`.

It keeps a rendered copy of everything but the three curves (axes, ticks, labels, grid) and
reuses it while the axis limits stay the same; limits snap to round tick values, so a slider
moved a little redraws only the curves. The picture is the same as
:class:`~linreg_helpers.plotting.HistoryFigure`'s.
"""

from __future__ import annotations

from collections import OrderedDict

from matplotlib.backends.backend_agg import RendererAgg

from linreg_helpers.plotting import HistoryFigure
from linreg_helpers.widgets.live_canvas import is_layout_pass, replace_figure_draw

#: How many rendered sets of axes the fast redraw keeps (≈ 1.4 MB each for the dashboard).
CACHED_BACKGROUNDS = 8


class LiveHistoryFigure(HistoryFigure):
    """:class:`~linreg_helpers.plotting.HistoryFigure` that redraws only its curves while the
    axes stay the same (takes the same arguments)."""

    def __init__(self, *args, **kwargs) -> None:
        # Rendered decorations per set of axis limits, most recently used last: switching
        # back (sum <-> mean, an optimizer and back, across the stability edge and back)
        # finds its axes already rendered.
        self._backgrounds: OrderedDict[tuple, object] = OrderedDict()
        super().__init__(*args, **kwargs)
        self._figure_draw = replace_figure_draw(self.figure, self._draw)

    def forget_rendered_axes(self) -> None:
        """Drop the cached renderings (the next draw renders every artist)."""
        self._backgrounds.clear()

    def _draw(self, renderer) -> None:
        """Figure.draw, reusing the rendered decorations while the axes are unchanged."""
        if (not isinstance(renderer, RendererAgg)  # savefig to PDF, SVG, ...
                or self.figure.canvas.is_saving()  # savefig may change colours or dpi
                or is_layout_pass(renderer)):  # a layout pass with drawing switched off
            self._figure_draw(renderer)  # a plain draw, and nothing cached from it
            return
        key = (id(renderer), renderer.width, renderer.height, self.figure.dpi,
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
                self._figure_draw(renderer)
            finally:
                for artist in on_top:
                    artist.set_visible(True)
            background = renderer.copy_from_bbox(self.figure.bbox)
            if len(self._backgrounds) >= CACHED_BACKGROUNDS:
                self._backgrounds.popitem(last=False)
        else:
            renderer.restore_region(background)
        self._backgrounds[key] = background
        for artist in on_top:
            artist.draw(renderer)
        self.figure.stale = False


__all__ = ["CACHED_BACKGROUNDS", "LiveHistoryFigure"]
