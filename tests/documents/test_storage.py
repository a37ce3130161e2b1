from pathlib import Path

import pytest

from amtsweg.documents.storage import private_file_path, private_file_write, private_files_delete


@pytest.fixture
def root(private_media):
    return Path(private_media).resolve()


def test_written_file_gets_a_random_name_with_its_suffix_under_the_private_root(root):
    first = private_file_write(data=b"%PDF-1.7 one", suffix=".pdf")
    second = private_file_write(data=b"%PDF-1.7 two", suffix=".pdf")

    assert first != second
    assert first.endswith(".pdf") and second.endswith(".pdf")
    assert private_file_path(first).read_bytes() == b"%PDF-1.7 one"
    assert root in private_file_path(first).parents


@pytest.mark.parametrize("name", ["../outside.pdf", "generated/../../outside.pdf", "/etc/passwd", ""])
def test_names_that_leave_the_private_root_are_refused(name, root):
    with pytest.raises(ValueError):
        private_file_path(name)


@pytest.mark.parametrize("suffix", ["pdf", "/../x", ".p/df", ".toolongsuffix"])
def test_odd_suffixes_are_refused(suffix, root):
    with pytest.raises(ValueError):
        private_file_write(data=b"x", suffix=suffix)


def test_delete_removes_files_skips_missing_ones_and_never_leaves_the_root(root, tmp_path):
    kept_outside = tmp_path / "outside.txt"
    kept_outside.write_text("keep me")
    name = private_file_write(data=b"x", suffix=".pdf")

    deleted = private_files_delete(names=[name, name, "generated/missing.pdf", "../outside.txt", ""])

    assert deleted == 1
    assert not private_file_path(name).exists()
    assert kept_outside.read_text() == "keep me"
