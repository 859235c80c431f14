#!/usr/bin/python3
"""Runs a command as a child subreaper: orphans of the command are reparented to
this process (not PID 1) and reaped here. The teardown test kills the command
outright; on machines whose PID 1 does not reap, its orphans would otherwise
stay as zombies. Exits once every descendant is gone."""
import ctypes
import os
import sys

PR_SET_CHILD_SUBREAPER = 36
if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
    sys.exit("prctl(PR_SET_CHILD_SUBREAPER) failed: errno %d" % ctypes.get_errno())
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
