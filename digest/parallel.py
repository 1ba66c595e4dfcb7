"""Work done by a second process while the build goes on, so a build uses a second core.

Related papers are the one stage that is both costly (a third of the generator at 50,000
papers) and needed late (by the paper pages only): another process computes them while
this one classifies papers and plans the list pages. Threads would not do: the stages
beside it are pure Python, and a thread waiting on them for the interpreter lock gave back
most of the gain (measured before).

The other process is a plain `python -c` reading a pickled call on its standard input and
writing the pickled result on its standard output. multiprocessing's spawn would run the
caller's main script again in the child (a script without an `if __name__` guard would
build twice), and fork copies the locks of mkdocs serve's threads in whatever state they are.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping
from typing import IO, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

# The child first takes the parent's import path, so it finds digest wherever the parent did.
_WORKER = (
    "import pickle, sys; "
    "sys.path[:] = pickle.load(sys.stdin.buffer); "
    "f, args = pickle.load(sys.stdin.buffer); "
    "pickle.dump(f(*args), sys.stdout.buffer, pickle.HIGHEST_PROTOCOL)"
)


class Deferred(Mapping[K, V], Generic[K, V]):
    """compute(*args), a mapping, computed by another process and waited for at its first
    lookup. compute must be a module-level function (it is pickled by name).

    If that process cannot be started, fails or dies, the mapping is computed here
    instead: the build is slower, never different, and a mistake in compute is raised here.
    """

    def __init__(self, compute: Callable[..., dict[K, V]], *args: object) -> None:
        self._compute, self._args = compute, args
        self._value: dict[K, V] | None = None
        self._process: subprocess.Popen[bytes] | None = None
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-c", _WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
        except OSError:  # no interpreter to start (an embedded Python), or no processes left
            return
        # The call is written by a thread: a pipe holds 64 KB, and the child reads it all
        # before it starts, so the writer waits on the child, not the build.
        call = pickle.dumps(sys.path) + pickle.dumps((compute, args), pickle.HIGHEST_PROTOCOL)
        threading.Thread(target=_write, args=(self._process.stdin, call), daemon=True).start()
        # Never read (the build failed first): the child must not outlive the build.
        self._finalizer = weakref.finalize(self, _stop, self._process)

    def wait(self) -> None:
        """Have the value here now: before a fork, so the copy does not read the pipe."""
        self._get()

    def _get(self) -> dict[K, V]:
        if self._value is None:
            value = self._result()
            self._value = value if value is not None else self._compute(*self._args)
            self._args = ()  # the inputs can be freed now
        return self._value

    def _result(self) -> dict[K, V] | None:
        process, self._process = self._process, None
        if process is None or process.stdout is None:
            return None
        try:
            with process.stdout:
                value = pickle.load(process.stdout)
        except (EOFError, OSError, pickle.UnpicklingError):  # it failed, or was killed
            value = None
        finally:
            self._finalizer.detach()
        return value if process.wait() == 0 else None

    def __getitem__(self, key: K) -> V:
        return self._get()[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


def settle(mapping: Mapping[K, V]) -> None:
    """Wait for a mapping, if another process is computing it."""
    if isinstance(mapping, Deferred):
        mapping.wait()


def _write(pipe: IO[bytes] | None, data: bytes) -> None:
    if pipe is None:
        return
    try:
        with pipe:
            pipe.write(data)
    except OSError:  # the child is gone: reading its result says so
        pass


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.kill()
    process.wait()


def spare_cores() -> int:
    """Cores this process may use besides the one it runs on."""
    try:
        return len(os.sched_getaffinity(0)) - 1
    except AttributeError:  # not on Linux
        return (os.cpu_count() or 1) - 1


# --- a forked copy of this process, rendering every other page ------------------------

# From this many pages on, a forked copy renders every other page: below it, the pages
# render in well under a second and forking a large process is not free.
FORK_FROM = 2000
_FAILED = (2**32 - 1).to_bytes(4, "big")  # the copy stopped: this process renders the rest


class HalfRendered:
    """Pages rendered by a forked copy of this process while this one renders the others.

    The copy renders every other key (the second, the fourth...) in order and sends each
    page down a pipe, which holds a few; this process takes them in that order, as MkDocs
    and `digest build` read pages, and keeps any it reads ahead of time until asked. A
    fork shares the build's data with the copy as it is, with no copying or pickling.

    If the copy fails on a page (a mistake in a template that only that page's data meets),
    it says so and stops; that page and the rest are then rendered here, so the mistake
    is raised here, naming the template and line, as it would be without a copy.
    """

    def __init__(self, keys: list[str], render: Callable[[str], str]) -> None:
        self._theirs = keys[1::2]
        self._next = 0  # the index in _theirs of the next page to come down the pipe
        self._unasked = set(self._theirs)  # a page asked for twice is rendered here again
        self._received: dict[str, str] = {}  # read from the pipe, not asked for yet
        read, write = os.pipe()
        _widen(write)
        gc.freeze()  # the collector would write to every object, copying the shared memory
        pid = os.fork()
        if pid == 0:  # the copy
            os.close(read)
            _render_into(write, self._theirs, render)  # never returns
        gc.unfreeze()
        os.close(write)
        self._pipe: IO[bytes] | None = os.fdopen(read, "rb", buffering=1 << 16)
        self._pid = pid
        self._finalizer = weakref.finalize(self, _end_copy, self._pipe, pid)

    def take(self, key: str) -> str | None:
        """The copy's page for key, or None if this process is to render it."""
        if key not in self._unasked:
            return None
        self._unasked.discard(key)
        while key not in self._received and self._pipe is not None:
            self._receive()
        return self._received.pop(key, None)

    def _receive(self) -> None:
        page = self._read_page()
        if page is not None:
            self._received[self._theirs[self._next]] = page
            self._next += 1
        if page is None or self._next == len(self._theirs):
            # Done, or the copy stopped: what it did not send is rendered here.
            self._finalizer()
            self._pipe = None

    def _read_page(self) -> str | None:
        assert self._pipe is not None
        size = self._pipe.read(4)
        if len(size) < 4 or size == _FAILED:
            return None
        return self._pipe.read(int.from_bytes(size, "big")).decode("utf-8")


PIPE_BYTES = 1 << 20  # Linux's most for an unprivileged process (fs.pipe-max-size)


def _widen(fd: int) -> None:
    """Let the pipe hold some 150 pages rather than ten (64 KB): when this process is
    slowed (by the reader of the pages, or another program), the copy renders on."""
    with contextlib.suppress(ImportError, AttributeError, OSError):  # a lower limit, say
        import fcntl  # here: forking is for Linux alone (can_fork), fcntl for Unix alone

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _render_into(fd: int, keys: list[str], render: Callable[[str], str]) -> None:
    """The forked copy's whole life: render, send, and leave without running anything
    of the parent's (atexit handlers, buffered output, finalizers)."""
    status = 0
    try:
        gc.disable()
        with os.fdopen(fd, "wb", buffering=1 << 16) as pipe:
            for key in keys:
                try:
                    data = render(key).encode("utf-8")
                except BaseException:  # the parent renders this page itself, and reports it
                    pipe.write(_FAILED)
                    break
                pipe.write(len(data).to_bytes(4, "big"))
                pipe.write(data)
    except BaseException:  # the parent is gone, or stopped reading
        status = 1
    finally:
        os._exit(status)


def _end_copy(pipe: IO[bytes], pid: int) -> None:
    pipe.close()  # a copy still writing gets a broken pipe and leaves
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def can_fork(count: int) -> bool:
    """Whether a forked copy may render `count` pages: enough of them, a spare core, and
    nothing a fork could catch half-done. A fork copies only the thread that calls it,
    with every lock as it was: with another thread running (mkdocs serve has several),
    one could be held forever in the copy. Linux only: macOS' system libraries are not
    safe to use after a fork."""
    return (
        count >= FORK_FROM
        and sys.platform == "linux"
        and threading.active_count() == 1
        and spare_cores() > 0
    )
