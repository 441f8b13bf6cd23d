"""nncore.sweeps, the searches behind notebook 07's tables and notebook 08's race gap: a smoke test on a tiny slice
of the data.

The sweeps themselves take hours and are not run by the suite; this only checks that every table's
rows build and train, and that the command line parses.
"""

import pytest

from nncore import sweeps


@pytest.fixture(scope="module")
def tiny_data():
    try:
        return sweeps.prepare_data(limit=400)
    except Exception as error:   # no Fashion-MNIST and no network
        pytest.skip(f"Fashion-MNIST is not available: {error}")


def test_every_row_of_every_table_builds_and_trains_one_epoch(tiny_data):
    for name, sweep in sweeps.SWEEPS.items():
        for config in sweep.configs:
            tiny = sweeps.Config(**{**config.__dict__, "epochs": 1})
            mean, accuracies = sweeps.run_config(tiny, (0,), tiny_data)
            assert len(accuracies) == 1 and 0.0 <= mean <= 1.0, (name, config.name)


def test_run_sweep_prints_a_markdown_table(tiny_data):
    lines = []
    rows = sweeps.run_sweep("recipe", quick=True, data=tiny_data, print_=lines.append)
    assert len(rows) == len(sweeps.SWEEPS["recipe"].configs)
    assert lines[1].startswith("| network and training") and lines[-1].startswith("best on the validation set")


def test_the_command_line_rejects_an_unknown_sweep():
    with pytest.raises(SystemExit):
        sweeps.main(["nonsense"])


def test_race_gap_quick_prints_a_markdown_table_of_test_accuracies():
    try:
        data = sweeps.prepare_data(limit=400, test=True)
    except Exception as error:   # no Fashion-MNIST and no network
        pytest.skip(f"Fashion-MNIST is not available: {error}")
    assert len(data["scaled"][2]) == 100   # limit // 4 test images in place of the validation part
    lines = []
    rows = sweeps.race_gap(quick=True, data=data, print_=lines.append)
    assert len(rows) == len(sweeps.RACE_GAP.configs) == 4
    assert all(set(means) == {1, 2} and all(0.0 <= m <= 1.0 for m in means.values()) for _, means in rows)
    assert "TEST accuracy" in lines[0] and lines[1].startswith("| inputs and learning rate")
    assert len(lines) == 3 + 4
