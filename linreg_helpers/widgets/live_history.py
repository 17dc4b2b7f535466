"""Fast redraws of the live figures: :class:`BlitRenderer`, and the dashboard's figure
:class:`LiveHistoryFigure`.

A renderer keeps a rendered copy of everything but the artists that move (axes, ticks, labels,
grid, contours) and reuses it while the axis limits stay the same; limits snap to round tick
values, so a slider moved a little — or a played epoch — redraws only what moves. This is
matplotlib's public blitting API (``canvas.copy_from_bbox``, ``canvas.restore_region``,
``Axes.draw_artist``); the picture is the same as a full draw's.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable

from matplotlib.artist import Artist
from matplotlib.figure import Figure

from linreg_helpers.plotting import HistoryFigure
from linreg_helpers.widgets.frame import live_figure

#: How many rendered sets of axes the fast redraw keeps (≈ 5.7 MB each for the dashboard at 2×).
CACHED_BACKGROUNDS = 8


class BlitRenderer:
    """Draws ``figure`` reusing a cached background: ``moving()`` lists the artists drawn on
    top of it, in order; ``key()`` what else the background depends on (with the figure's
    size and every axes' limits, scale and position, always part of the key)."""

    def __init__(self, figure: Figure, moving: Callable[[], list[Artist]],
                 key: Callable[[], Hashable] = lambda: ()) -> None:
        self.figure, self._moving, self._key = figure, moving, key
        # Rendered backgrounds, most recently used last: switching back (sum <-> mean, an
        # optimizer and back, across the stability edge and back) finds its axes rendered.
        self.backgrounds: OrderedDict[tuple, object] = OrderedDict()
        #: How many renders drew every artist (the others reused a background).
        self.full_draws = 0

    def render(self) -> None:
        """Draw the current state into the figure's Agg canvas."""
        canvas = self.figure.canvas
        renderer = canvas.get_renderer()
        key = (renderer.width, renderer.height, self.figure.dpi, self._key(),
               tuple((ax.get_xlim(), ax.get_ylim(), ax.get_yscale(), ax.get_position().bounds)
                     for ax in self.figure.axes))
        on_top = [artist for artist in self._moving() if artist.get_visible()]
        background = self.backgrounds.pop(key, None)
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
            if len(self.backgrounds) >= CACHED_BACKGROUNDS:
                self.backgrounds.popitem(last=False)
        else:
            canvas.restore_region(background)
        self.backgrounds[key] = background
        for artist in on_top:
            (artist.axes or self.figure).draw_artist(artist)


class LiveHistoryFigure(HistoryFigure):
    """:class:`~linreg_helpers.plotting.HistoryFigure` on an Agg canvas of its own
    (:func:`~.frame.live_figure`), whose :meth:`render` redraws only what moves while the
    axes stay the same (takes the same arguments). ``moving``: more artists that move (a
    panel added to the figure, markers), drawn after the curves."""

    def __init__(self, *args, **kwargs) -> None:
        self.moving: list[Artist] = []
        super().__init__(*args, **kwargs)
        self._blit = BlitRenderer(self.figure, self._on_top)

    def _on_top(self) -> list[Artist]:
        # In matplotlib's order, the curves (zorder 2) come after the grid and reference
        # lines and before the spines (2.5): so the cached layer holds all but curves and
        # spines, and those two are drawn on top of it in that order.
        return list(self.lines.values()) + self.moving + [
            spine for ax in self.axes.values() for spine in ax.spines.values()]

    @property
    def full_draws(self) -> int:
        """How many renders drew every artist (the others reused a background)."""
        return self._blit.full_draws

    @property
    def _backgrounds(self) -> OrderedDict:
        return self._blit.backgrounds

    @staticmethod
    def new_figure(figsize: tuple[float, float]) -> Figure:
        return live_figure(figsize)

    def forget_rendered_axes(self) -> None:
        """Drop the cached renderings (the next render draws every artist)."""
        self._blit.backgrounds.clear()

    def render(self) -> None:
        """Draw the current state into the figure's Agg canvas, reusing the rendered
        decorations while the axes are unchanged."""
        self._blit.render()


__all__ = ["BlitRenderer", "CACHED_BACKGROUNDS", "LiveHistoryFigure"]
