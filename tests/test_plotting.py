"""Loss-curve figures: one panel per logged quantity, written atomically, clear errors."""

import matplotlib.image
import pytest

from keras_gans.plotting import save_loss_curves


def test_loss_curves_draw_a_panel_per_logged_quantity(tmp_path):
    one = tmp_path / "one.png"
    save_loss_curves({"epoch": [0, 1, 2], "loss": [3.0, 2.0, 1.0]}, one)
    four = tmp_path / "four.png"
    save_loss_curves({name: [1.0, 0.5] for name in ("d_loss", "g_loss", "kl", "fid")}, four, title="run")
    height_one, width_one = matplotlib.image.imread(one).shape[:2]
    height_four, width_four = matplotlib.image.imread(four).shape[:2]
    assert width_four > 2 * width_one  # three panels across
    assert height_four > 1.5 * height_one  # and a second row
    assert [p.name for p in tmp_path.iterdir()] and not any(p.name.startswith(".") for p in tmp_path.iterdir())


def test_an_empty_history_is_refused(tmp_path):
    with pytest.raises(ValueError, match="no logged quantity"):
        save_loss_curves({"epoch": [0, 1]}, tmp_path / "x.png")
    assert not any(tmp_path.iterdir())
