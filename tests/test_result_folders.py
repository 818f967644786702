"""Result folders: written whole, readable like any folder the user makes, old ones kept
until the new one is complete."""

import os

import pytest

from renaissance.outputs import OutputError, output_directory


def test_folder_permissions_follow_the_umask(tmp_path):
    with output_directory(tmp_path / "out") as scratch:
        (scratch / "a.txt").write_text("a")
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o777 & ~mask


def test_failure_inside_keeps_the_old_folder_and_leaves_no_scratch(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with pytest.raises(RuntimeError), output_directory(target, overwrite=True) as scratch:
        (scratch / "new.txt").write_text("new")
        raise RuntimeError("interrupted")
    assert [p.name for p in target.iterdir()] == ["old.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_overwrite_replaces_only_when_complete(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with pytest.raises(OutputError, match="--overwrite"), output_directory(target):
        pass
    with output_directory(target, overwrite=True) as scratch:
        (scratch / "new.txt").write_text("new")
        assert (target / "old.txt").exists()
    assert [p.name for p in target.iterdir()] == ["new.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
