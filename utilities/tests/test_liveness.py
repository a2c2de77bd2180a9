import subprocess
import sys

from utilities.liveness import Holder


def test_holder_current_is_alive():
    # given / when
    holder = Holder.current()
    # then
    assert not holder.is_dead()
    assert str(holder).startswith("pid ")


def test_holder_of_a_finished_process_is_dead():
    # given: a process that has exited and been reaped
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    holder = Holder(host=Holder.current().host, pid=child.pid, started="1")
    # when / then
    assert holder.is_dead()


def test_holder_with_reused_pid_is_dead():
    # given: our own pid, but a start time that is not ours (the pid was reused)
    me = Holder.current()
    impostor = Holder(host=me.host, pid=me.pid, started=str(int(me.started or "0") + 12345))
    # when / then
    assert impostor.is_dead()


def test_holder_on_another_host_is_never_declared_dead_here():
    # given
    remote = Holder(host="another-machine.invalid", pid=1, started="")
    # when / then
    assert not remote.is_dead()


def test_holder_with_impossible_pid_is_dead():
    holder = Holder(host=Holder.current().host, pid=0, started="")
    assert holder.is_dead()
