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
