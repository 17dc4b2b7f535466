"""provenance remembers the helpers' own results by identity, never by equality."""

import torch

from linreg_helpers import provenance
from linreg_helpers.realdata import Standardizer
from linreg_helpers.training import train


def test_made_by_is_identity_not_equality():
    history = train()
    assert provenance.made_by(history.loss) == "train()"
    assert provenance.made_by(history.bias) == "train()"
    assert provenance.made_by(list(history.loss)) is None  # an equal copy is the learner's
    x = torch.arange(12.0).reshape(4, 3)
    z = Standardizer.fit(x).transform(x)
    assert provenance.made_by(z) == "Standardizer.transform"
    assert provenance.made_by(z.clone()) is None
    assert provenance.made_by(None) is None


def test_only_the_newest_results_are_kept():
    first = provenance.mark([1.0], "first()")
    for _ in range(provenance.REMEMBERED):
        provenance.mark([], "later()")
    assert provenance.made_by(first) is None
