"""Atomic file and directory writes: a reader never sees a half-written file."""

import contextlib
import os
import stat
import shutil
import tempfile
from pathlib import Path


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


@contextlib.contextmanager
def atomic_directory(path, overwrite=False):
    """Yield a staging directory that replaces `path` only if the block succeeds.

    On failure the staging directory is removed and an existing `path` is left untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}-", dir=path.parent))
    try:
        yield staging
        os.chmod(staging, default_mode(0o777))  # mkdtemp makes 0700
        if path.exists():
            if not overwrite:
                raise FileExistsError(f"{path} appeared while training; pass --overwrite to replace it.")
            shutil.rmtree(path)
        os.replace(staging, path)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


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
