"""Quiet TensorFlow's native start-up lines (no TensorFlow import here)."""

import contextlib
import os
import sys
import tempfile


@contextlib.contextmanager
def quiet_native_startup():
    """Hold the process's stderr (fd 2) while TensorFlow starts, and show it only on failure.

    TensorFlow 2.21 writes its start-up lines (oneDNN, CUDA probing, "failed call to cuInit"
    on a CPU machine) from C++ before its logging is initialised, so TF_CPP_MIN_LOG_LEVEL
    does not hold them back. Nothing is held when the user set TF_CPP_MIN_LOG_LEVEL to 0 or 1
    (asking for them) or KERAS_GANS_VERBOSE_STARTUP=1, or when fd 2 cannot be duplicated.
    """
    wanted = os.environ.get("KERAS_GANS_VERBOSE_STARTUP") == "1" or os.environ.get(
        "TF_CPP_MIN_LOG_LEVEL") in ("0", "1")
    try:
        saved = None if wanted else os.dup(2)
    except OSError:
        saved = None
    if saved is None:
        yield
        return
    with tempfile.TemporaryFile() as held:
        try:
            sys.stderr.flush()
            os.dup2(held.fileno(), 2)
            yield
        except BaseException:
            os.dup2(saved, 2)
            held.seek(0)
            sys.stderr.write(held.read().decode(errors="replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)
