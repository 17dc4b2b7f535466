"""The lesson's model: one ``nn.Linear(1, 1)`` wrapped in a ``torch.nn.Module``.

The notebooks write this class out themselves; the helpers keep an identical copy so that
``train()`` builds exactly the model the learner built (same layer, same random init).
"""

from __future__ import annotations

import torch


class LinearModel(torch.nn.Module):
    """ŷ = x·wᵀ + b for a batch x of shape (N, 1)."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = torch.nn.Linear(1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x)


def initial_params(seed: int = 0) -> tuple[float, float]:
    """The (w, b) that ``train(seed=seed)`` starts from: those of :func:`seeded_model`."""
    layer = seeded_model(seed).linear
    return layer.weight.item(), layer.bias.item()


def seeded_model(seed: int = 0) -> LinearModel:
    """``torch.manual_seed(seed)`` then ``LinearModel()``, as the notebooks do: the series' start.

    Only the CPU generator (the one ``nn.Linear`` draws its initial weights from) is seeded,
    inside ``fork_rng``, so the caller's random state — CPU and CUDA — is left as it was.
    """
    with torch.random.fork_rng(devices=[]):
        torch.random.default_generator.manual_seed(seed)
        return LinearModel()
