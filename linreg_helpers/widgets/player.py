"""Play, pause, step and scrub a live widget's training: :class:`Player` (the controls) and
:class:`Playable` (their behaviour, shared by the dashboard and the landscape explorer).

States: *instant* (after construction and :meth:`Playable.restart`: the whole run for the
current settings, re-trained at once on every change) and *played* (a
:class:`~linreg_helpers.stepping.SteppedRun` that Play and Step advance epoch by epoch; a
change of a setting steers it from the next epoch on). The ticks come from the browser: an
``ipywidgets.Play`` (:attr:`Playable.player`) whose every value change asks for one frame on
the kernel's main loop (:class:`~.frame.UpdateScheduler`: at most one frame pending, drawn on
the thread that built the widget). A frame trains the epochs due by the clock at the chosen
speed, so a slow frame is followed by a larger step instead of a queue of ticks.
"""

from __future__ import annotations

import math
import time
import weakref
from collections.abc import Callable
from typing import Optional

import ipywidgets as widgets
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from linreg_helpers.i18n import text
from linreg_helpers.stepping import Change, SteppedRun
from linreg_helpers.training import History
from linreg_helpers.widgets.frame import UpdateScheduler

#: Epochs per second by default: the lesson's 51 epochs take about five seconds.
SPEED = 10
#: The shortest time between two ticks (ms): at most this many frames a second are asked for.
MIN_INTERVAL_MS = 50
#: The class of the epoch readout (for the browser tests and the page's CSS).
READOUT_CLASS = "linreg-play-readout"
#: How many epochs the second step button trains.
BIG_STEP = 10


def epochs_due(elapsed: float, speed: float, done: int) -> int:
    """Epochs still to train ``elapsed`` seconds after Play at ``speed`` epochs per second,
    ``done`` of them already trained (the first is due at once)."""
    return max(0, math.floor(elapsed * speed) + 1 - done)


def tick_interval(speed: float) -> int:
    """The ticker's interval (ms) for ``speed`` epochs per second."""
    return max(MIN_INTERVAL_MS, round(1000 / speed))


class Player:
    """The controls: ``play_button`` (Play/Pause), ``step_button``, ``big_step_button``,
    ``restart_button`` (in ``buttons``), ``speed`` (epochs per second), ``cursor`` (the
    epoch slider to scrub with), ``readout`` (the epoch and the state) and ``ticker``
    (the hidden ``ipywidgets.Play``). ``compact``: Step and Restart show only their icons
    (their names as tooltips), for a narrow row."""

    def __init__(self, *, lang: Optional[str], width_px: int, label_px: int,
                 compact: bool = False) -> None:
        self.lang = lang

        def button(key: str, icon: str) -> widgets.Button:
            name = text(key, lang=lang)
            short = compact and key in ("play.step", "play.restart")
            return widgets.Button(description="" if short else name, tooltip=name, icon=icon,
                                  layout=widgets.Layout(width="auto", flex="1 1 auto"))

        self.play_button = button("play.play", "play")
        self.step_button = button("play.step", "step-forward")
        self.big_step_button = button("play.big_step", "forward")
        self.restart_button = button("play.restart", "refresh")
        self.buttons = widgets.HBox(
            [self.play_button, self.step_button, self.big_step_button, self.restart_button],
            layout=widgets.Layout(width=f"{width_px}px"))
        style = {"description_width": f"{label_px}px"}
        self.speed = widgets.IntSlider(value=SPEED, min=1, max=100,
                                       description=text("play.speed", lang=lang), style=style,
                                       layout=widgets.Layout(width=f"{width_px}px"))
        self.cursor = widgets.IntSlider(value=0, min=0, max=0,
                                        description=text("play.cursor", lang=lang),
                                        style=style, layout=widgets.Layout(width=f"{width_px}px"))
        self.readout = widgets.HTML(layout=widgets.Layout(margin="0 0 0 4px"))
        self.readout.add_class(READOUT_CLASS)
        self.ticker = widgets.Play(value=0, min=0, max=10**9, step=1,
                                   interval=tick_interval(SPEED), show_repeat=False,
                                   layout=widgets.Layout(display="none"))

    def show_playing(self, playing: bool) -> None:
        key, icon = ("play.pause", "pause") if playing else ("play.play", "play")
        name = text(key, lang=self.lang)
        self.play_button.description = self.play_button.tooltip = name
        self.play_button.icon = icon

    def close(self) -> None:
        self.ticker.playing = False
        for part in (self.ticker, self.play_button, self.step_button, self.big_step_button,
                     self.restart_button, self.buttons, self.speed, self.cursor, self.readout):
            part.close()


#: The played widgets made by each notebook cell: re-running a cell pauses the ones it made.
_BY_CELL: dict[str, list[weakref.ref]] = {}


def _cell_id() -> Optional[str]:
    """The id of the notebook cell running now (JupyterLab sends it), or None."""
    try:
        from IPython import get_ipython

        parent = get_ipython().kernel.get_parent()
    except Exception:  # no kernel: a script or a test
        return None
    return (parent or {}).get("metadata", {}).get("cellId")


class Playable:
    """Play mode for a :class:`~.controls.LiveWidget` that defines ``_run_settings()`` (the
    :class:`~.stepping.SteppedRun` keyword arguments of its controls), ``_train_instant()``
    (the whole run) and ``_draw(history) -> str`` (draw it and return the status)."""

    x: object
    y: object
    lang: str
    history: Optional[History]
    _run: Optional[SteppedRun] = None
    _playing = False
    _closed = False
    #: The clock that paces a played run (seconds; tests replace it).
    clock: Callable[[], float] = staticmethod(time.monotonic)

    def _start_player(self, *, width_px: int, label_px: int, compact: bool = False) -> Player:
        self.controls_player = player = Player(lang=self.lang, width_px=width_px,
                                               label_px=label_px, compact=compact)
        self.player, self.cursor = player.ticker, player.cursor
        self._pace = (0.0, 0)
        self._tick_scheduler = UpdateScheduler(self._tick)
        player.ticker.observe(self._on_tick, names="value")
        player.play_button.on_click(lambda _b: self.pause() if self._playing else self.play())
        player.step_button.on_click(lambda _b: self.step())
        player.big_step_button.on_click(lambda _b: self.step(BIG_STEP))
        player.restart_button.on_click(lambda _b: self.restart())
        player.speed.observe(self._on_speed, names="value")
        player.cursor.observe(self._on_change, names="value")
        cell = _cell_id()
        if cell is not None:
            for old in _BY_CELL.get(cell, []):
                if old() is not None:
                    old().pause()
            _BY_CELL[cell] = [ref for ref in _BY_CELL.get(cell, []) if ref() is not None]
            _BY_CELL[cell].append(weakref.ref(self))
        return player

    # -- the state -------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        """Whether the run is playing (the ticks train it)."""
        return self._playing

    @property
    def epoch(self) -> int:
        """Epochs trained in the played run (0 in the instant state)."""
        return 0 if self._run is None else self._run.epoch

    @property
    def run(self) -> Optional[SteppedRun]:
        """The played run, None in the instant state."""
        return self._run

    def _new_run(self) -> SteppedRun:
        return SteppedRun(self.x, self.y, seed=getattr(self, "seed", 0), **self._run_settings())

    def _begin_run(self) -> None:
        self._run = self._new_run()

    def _current_history(self) -> History:
        """The instant run, or the played run steered to the controls' current settings."""
        if self._run is None:
            return self._train_instant()
        settings = self._run_settings()
        start = settings.pop("start", None)
        if start is not None and start != self._run.start:
            self._run = self._new_run()  # a new start point: the run starts again there
            self._pace = (self.clock(), 0)
        else:
            changes = self._run.steer(**settings)
            if self._playing and any(c.setting == "epochs" for c in changes):
                self._pace = (self.clock(), self._run.epoch)
        return self._run.history

    # -- Python's controls -----------------------------------------------------------------
    def step(self, k: int = 1) -> None:
        """Train ``k`` epochs of the played run now (starting one if none) and redraw."""
        self._run_update(lambda: self._advance(k))
        if self._playing:
            self._pace = (self.clock(), self._run.epoch)

    def play(self) -> None:
        """Play: the ticks train the run epoch by epoch (a finished or exploded run stays)."""
        if self._closed:
            return
        if self._run is None:  # the played run starts at epoch 0; update() below draws it
            self._run_update(self._begin_run)  # an error shows in the status, as an update's
            if self._run is None:
                return
        if self._run.finished or self._run.exploded:
            self.update()
            return
        self._playing = True
        self._pace = (self.clock(), self._run.epoch)
        self.controls_player.ticker.interval = tick_interval(self.controls_player.speed.value)
        self.controls_player.ticker.playing = True
        self.controls_player.show_playing(True)
        self.update()

    def pause(self) -> None:
        """Pause: no more epochs are trained until Play or Step."""
        was = self._playing
        self._stop_ticks()
        if was:
            self.update()

    def restart(self) -> None:
        """Back to the instant state: the whole run for the current settings, epoch 0."""
        self._stop_ticks()
        self._run = None
        self.update()

    def _stop_ticks(self) -> None:
        self._playing = False
        self._tick_scheduler.cancel()
        if not self._closed:
            self.controls_player.ticker.playing = False
            self.controls_player.show_playing(False)

    # -- ticks -----------------------------------------------------------------------------
    def _on_tick(self, _change: dict) -> None:
        if self._playing:
            self._tick_scheduler.request()  # at most one frame pending; drawn on the main loop

    def _on_speed(self, change: dict) -> None:
        self.controls_player.ticker.interval = tick_interval(change["new"])
        if self._playing:
            self._pace = (self.clock(), self._run.epoch)

    def _tick(self) -> None:
        if not self._playing or self._run is None:
            return
        started, done = self._pace
        due = epochs_due(self.clock() - started, self.controls_player.speed.value,
                         self._run.epoch - done)
        try:
            if due:
                self._run_update(lambda: self._advance(due))
            if self._run.finished or self._run.exploded:
                self.pause()
        except KeyboardInterrupt:  # a kernel interrupt pauses
            self.pause()

    def _advance(self, k: int) -> str:
        if self._run is None:
            self._run = self._new_run()
        self._current_history()  # settings changed since the last frame apply from now
        self._run.step(k)
        self.history = self._run.history
        return self._draw(self.history)

    # -- what the widgets draw -------------------------------------------------------------
    def _cursor_epoch(self, history: History) -> Optional[int]:
        """Fit the cursor to the run; the epoch it marks, or None at the run's end (it
        follows the end while playing, and when it was there)."""
        cursor = self.controls_player.cursor
        last = max(len(history) - 1, 0)
        following = self._playing or cursor.value >= cursor.max
        cursor.unobserve(self._on_change, names="value")
        try:
            cursor.max = last
            if following:
                cursor.value = last
        finally:
            cursor.observe(self._on_change, names="value")
        return None if following or cursor.value >= last else cursor.value

    def _play_status(self, history: History, cursor: Optional[int],
                     params: tuple[float, float], describe: Callable[[], str]) -> str:
        """Set the readout (epoch and state); the status: the cursor's epoch, ``describe()``
        (the widget's own sentence for the run; at epoch 0 the start), the run's changes."""
        say, run = self._say, self._run
        if run is None:
            state = say("play.state.instant")
        elif run.exploded:
            state = say("play.state.exploded")
        elif run.finished:
            state = say("play.state.finished")
        else:
            state = say("play.state.playing" if self._playing else "play.state.paused")
        epochs = run.epochs if run is not None else len(history)
        self.controls_player.readout.value = say("play.readout", epoch=self.epoch,
                                                 epochs=epochs, state=state)
        w, b = params
        before = after = ""
        if cursor is not None:
            before = say("play.cursor_at", epoch=cursor, loss=history.loss[cursor], w=w, b=b,
                         y4=w * 4.0 + b, end=len(history))
        if run is not None and run.changes:
            after = say("play.changes", changes="; ".join(
                change_text(c, self.lang) for c in run.changes))
        main = describe() if len(history) else say("play.at_start", w=w, b=b, y4=w * 4.0 + b)
        return before + main + after

    def _say(self, key: str, **values: object) -> str:
        return text(key, lang=self.lang, **values)

    def change_epochs(self) -> list[int]:
        """The epochs at which a setting changed during the played run."""
        return sorted({c.epoch for c in self._run.changes}) if self._run is not None else []

    def _refresh(self) -> str:
        """Show the current run (instant, or played and steered): one update's work."""
        self.history = self._current_history()
        return self._draw(self.history)

    def _params_at(self, history: History, cursor: Optional[int]) -> tuple[float, float]:
        """(w, b) after the cursor's epoch, after the last one, or at the start."""
        if cursor is not None:
            return history.weight[cursor], history.bias[cursor]
        if len(history):
            return history.weight[-1], history.bias[-1]
        return self._run.params if self._run is not None else (math.nan, math.nan)

    def close(self) -> None:
        """Stop the ticks and close the widgets (frees the kernel-side objects)."""
        self._close_player()
        super().close()

    def _close_player(self) -> None:
        self._stop_ticks()
        self._closed = True
        self.controls_player.close()


class EpochMarks:
    """On each of ``axes`` (epoch on x): a dotted vertical line at each epoch where a setting
    changed, and the cursor's point on the axes' curve."""

    def __init__(self, axes: list[Axes]) -> None:
        self.changes = [ax.plot([], [], color="C1", ls=":", lw=1.2, zorder=2.1,
                                transform=ax.get_xaxis_transform())[0] for ax in axes]
        self.points = [ax.plot([], [], "o", color="C3", ms=6, zorder=2.2)[0] for ax in axes]
        #: The artists that move, for the live figures' fast redraw.
        self.moving: list[Artist] = [*self.changes, *self.points]

    def show(self, changes: list[int], cursor: Optional[int], values: list[float]) -> None:
        """Mark ``changes``; the point (``cursor``, ``values[i]``) on axes i (None: no point)."""
        xs = np.repeat(np.asarray(changes, dtype=float), 3)
        xs[2::3] = np.nan
        ys = np.tile([0.0, 1.0, np.nan], len(changes))
        for line in self.changes:
            line.set_data(xs, ys)
        for k, point in enumerate(self.points):
            point.set_data(([cursor], [values[k]]) if cursor is not None else ([], []))


def change_text(change: Change, lang: Optional[str] = None) -> str:
    """One change of a setting, as the status says it."""
    if change.setting == "optimizer":
        return text("play.change.optimizer", lang=lang, new=change.new, epoch=change.epoch)
    formats = {"lr": "{:.4f}", "momentum": "{:.2f}"}
    shown = formats.get(change.setting, "{}")
    return text("play.change", lang=lang, setting=change.setting, epoch=change.epoch,
                old=shown.format(change.old), new=shown.format(change.new))


__all__ = ["BIG_STEP", "EpochMarks", "Playable", "Player", "SPEED", "change_text", "epochs_due",
           "tick_interval"]
