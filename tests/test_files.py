"""files.py: a file is checked without being opened (inside its folder through any link, a regular file, within
its limit) and read bounded; the walk lists only such files and says why it left out the others."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from kkssite.files import MB, Folder, Refused, megabytes, read


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path/content with a file, a subfolder and a file outside it (tmp_path/secret.txt); cwd = tmp_path."""
    monkeypatch.chdir(tmp_path)
    content = tmp_path / "content"
    (content / "images" / "sub").mkdir(parents=True)
    (content / "images" / "a.jpg").write_bytes(b"a")
    (content / "images" / "sub" / "b.jpg").write_bytes(b"b")
    (tmp_path / "secret.txt").write_text("HEMLIGT", encoding="utf-8")
    return content


def refusal(folder: Folder, file: Path, limit: int | None = None) -> str:
    with pytest.raises(Refused) as refused:
        folder.check(file, limit)
    return refused.value.message


def test_a_regular_file_and_a_link_inside_are_fine(root: Path) -> None:
    (root / "images" / "c.jpg").symlink_to("sub/b.jpg")
    folder = Folder(root, "content/")
    assert folder.check(root / "images" / "a.jpg").rel == "images/a.jpg"
    entry = folder.check(root / "images" / "c.jpg")
    assert (entry.rel, entry.real) == ("images/c.jpg", os.path.realpath(root / "images" / "sub" / "b.jpg"))
    assert read(entry.real, 10) == b"b"


def test_a_link_outside_is_refused_naming_its_target(root: Path, tmp_path: Path) -> None:
    folder = Folder(root, "content/")
    (root / "images" / "abs.jpg").symlink_to("/etc/hostname")
    (root / "images" / "rel.jpg").symlink_to("../../secret.txt")
    (root / "images" / "env.jpg").symlink_to("/proc/self/environ")
    assert refusal(folder, root / "images" / "abs.jpg").startswith(
        "filen är en länk till /etc/hostname, utanför content/; bara filer i content/ används")
    assert refusal(folder, root / "images" / "env.jpg").startswith("filen är en länk till /proc/self/environ, utanför")
    assert refusal(folder, root / "images" / "rel.jpg").startswith("filen är en länk till secret.txt, utanför content/")


def test_a_path_through_a_linked_folder_outside_is_refused(root: Path, tmp_path: Path) -> None:
    (root / "ut").symlink_to(tmp_path)
    message = refusal(Folder(root, "content/"), root / "ut" / "secret.txt")
    assert message.startswith("filen är en länk till secret.txt, utanför content/")  # shown from the working folder


def test_special_files_are_refused_without_opening_them(root: Path, tmp_path: Path) -> None:
    os.mkfifo(root / "images" / "pipe.jpg")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(root / "images" / "sock.jpg"))
        folder = Folder(root, "content/")
        assert refusal(folder, root / "images" / "pipe.jpg") == ("filen är en namngiven pipe (FIFO), inte en vanlig "
                                                                 "fil; ta bort den")
        assert refusal(folder, root / "images" / "sock.jpg") == "filen är en socket, inte en vanlig fil; ta bort den"
    assert refusal(Folder(Path("/dev")), Path("/dev/zero")) == "filen är en enhetsfil, inte en vanlig fil; ta bort den"
    (root / "images" / "dangling.jpg").symlink_to("finns-inte.jpg")
    assert refusal(Folder(root, "content/"), root / "images" / "dangling.jpg").endswith(
        "images/finns-inte.jpg, som inte finns")


def test_the_limit_is_checked_before_reading_and_the_read_is_bounded(root: Path) -> None:
    big = root / "images" / "stor.jpg"
    with big.open("wb") as file:
        file.truncate(8 * 1024 * MB)  # 8 GB, sparse: reading it whole would take minutes and all the memory
    folder = Folder(root, "content/")
    assert refusal(folder, big, 20 * MB) == "filen är på 8192 MB, över gränsen på 20 MB"
    with pytest.raises(Refused) as refused:
        read(str(big), 2 * MB, "limits.text_mb")
    assert refused.value.message == ("filen är på 8192 MB, över gränsen på 2 MB (gränsen ställs in med "
                                     "limits.text_mb i site.yml)")
    assert read(str(root / "images" / "a.jpg"), 1) == b"a"
    with pytest.raises(Refused):
        read(str(root / "images" / "a.jpg"), 0)


def test_sizes_are_rounded_up_to_a_tenth_in_swedish() -> None:
    assert (megabytes(2 * MB), megabytes(2 * MB + 1), megabytes(20 * MB), megabytes(1_250_000)) == (
        "2", "2,1", "20", "1,3")


def test_a_fifo_read_does_not_wait(root: Path) -> None:
    """Even a FIFO that takes the place of a checked file cannot hold the read: it is opened without waiting."""
    os.mkfifo(root / "pipe")
    with pytest.raises(Refused) as refused:
        read(str(root / "pipe"), MB)
    assert "FIFO" in refused.value.message


def test_walk_lists_usable_files_and_reports_the_rest(root: Path, tmp_path: Path) -> None:
    images = root / "images"
    (images / "ut.jpg").symlink_to(tmp_path / "secret.txt")
    (images / "in.jpg").symlink_to("a.jpg")
    (images / "trasig.jpg").symlink_to("borta.jpg")
    (images / "utmapp").symlink_to(tmp_path)
    (images / "inmapp").symlink_to("sub")
    (images / ".dold.jpg").write_bytes(b"x")
    os.mkfifo(images / "sub" / "pipe.jpg")
    entries, refused = Folder(root, "content/").walk(images)
    assert sorted(e.rel for e in entries) == ["images/a.jpg", "images/in.jpg", "images/sub/b.jpg"]
    by_rel = {r.rel: r for r in refused}
    assert sorted(by_rel) == ["images/inmapp", "images/sub/pipe.jpg", "images/trasig.jpg", "images/ut.jpg",
                              "images/utmapp"]
    assert [r.rel for r in refused if r.warning] == ["images/inmapp"]
    assert by_rel["images/utmapp"].message.startswith(f"mappen är en länk till {tmp_path}, utanför content/")
    assert by_rel["images/inmapp"].message.startswith("mappen är en länk (till content/images/sub) och hoppas över")


def test_walk_of_a_linked_folder_outside_is_refused(root: Path, tmp_path: Path) -> None:
    (tmp_path / "annat").mkdir()
    (tmp_path / "annat" / "x.md").write_text("x", encoding="utf-8")
    (root / "activities").symlink_to(tmp_path / "annat")
    entries, refused = Folder(root, "content/").walk(root / "activities")
    assert entries == [] and [r.rel for r in refused] == ["activities"]
    assert refused[0].message.startswith(f"mappen är en länk till {tmp_path}/annat, utanför content/")
