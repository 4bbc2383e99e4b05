"""The output folder's lock: one build at a time, released however the holder ends."""

import os
import signal
import subprocess
import sys

import pytest

from nashra.errors import BuildError
from nashra.lock import output_lock

HOLD = """
import sys, time
from pathlib import Path
from nashra.lock import output_lock
with output_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_build_in_another_process_is_named_and_its_death_frees_the_folder(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(BuildError) as caught:
            with output_lock(tmp_path):
                pass
        assert str(caught.value) == (f"another nashra build (pid {holder.pid}) is writing to {tmp_path}; "
                                     "wait for it to finish or use another -o folder")
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    with output_lock(tmp_path):  # the killed build left no lock behind
        assert (tmp_path / ".nashra.lock").read_text() == f"pid {os.getpid()}"
