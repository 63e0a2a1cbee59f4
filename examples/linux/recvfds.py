# Receives descriptors as a Python server would: a forked child sends 3 over a socketpair, and socket.recv_fds
# receives them into a control buffer Python allocates in its heap (PyMem_Malloc), where perf's copy of the stack
# does not reach. Then it opens and closes a file (a call whose number shows the 3 taken), closes one of the 3 and
# keeps 2: the leak. Arguments: "wait" prints the pid and reads a line from stdin before the receive; "hold" prints
# "received" after it and reads another line, so that the process is still there to be looked at.
import os
import socket
import sys

if "wait" in sys.argv[1:]:
    print(os.getpid(), flush=True)
    sys.stdin.readline()
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
pid = os.fork()
if pid == 0:
    socket.send_fds(a, [b'x'], [os.open('/dev/null', os.O_RDONLY) for _ in range(3)])
    os._exit(0)
a.close()
msg, fds, flags, addr = socket.recv_fds(b, 16, 8)
assert len(fds) == 3, fds
with open('/dev/null', 'w') as log:
    log.write('received')
os.close(fds[1])
os.waitpid(pid, 0)
if "hold" in sys.argv[1:]:
    print("received", flush=True)
    sys.stdin.readline()
