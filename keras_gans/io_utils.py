"""Atomic file and directory writes: a reader never sees a half-written file."""

import contextlib
import os
import stat
import tempfile
import zipfile
from pathlib import Path

import numpy as np


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path next to `path`; on success rename it to `path`, else delete it.

    The temporary name keeps the suffix, so writers that infer a format from it (matplotlib,
    Keras' `.keras`) still work.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, default_mode(0o666))  # mkstemp makes 0600; give the usual mode
        fsync_file(tmp)  # durable before it is visible: a power loss never leaves it empty
        os.replace(tmp, path)
        fsync_directory(path.parent)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def default_mode(base):
    """`base` less the process umask: the mode open()/mkdir() would have given."""
    umask = os.umask(0)
    os.umask(umask)
    return base & ~umask & (stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)


def fsync_file(path):
    """Flush a file's data to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_directory(path):
    """Flush a directory's entries (a rename or a new file in it) to the disk."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # a platform whose directories cannot be opened (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def fsync_tree(root):
    """fsync every file and directory under `root`, and `root` itself."""
    root = Path(root)
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            fsync_file(Path(dirpath) / name)
        fsync_directory(dirpath)


def load_npy(path, what):
    """np.load of a .npy/.npz file without ever unpickling, or a ValueError naming `what` that
    says how to write a readable file (never suggesting an unsafe load)."""
    try:
        return np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
        text = str(error)
        reason = ("it is not a numeric array file: its header is unreadable or it holds Python objects"
                  if "pickle" in text or not text else text.splitlines()[0])
        raise ValueError(f"{what} {path} cannot be read ({reason}); write it with numpy.save(path, array) "
                         "(or numpy.savez(path, x=..., y=...)) from an array of numbers.") from None
