"""Block outbound network sockets in the current process (Linux seccomp filter).

Query workers call ``deny_network()`` before opening the store: from then on the kernel answers
``socket(AF_INET | AF_INET6, …)`` with EACCES, so no SPARQL ``SERVICE`` clause can reach the network
even if the parse-tree check in ``coprokg.sparql.safety`` were fooled. Unix sockets and pipes
(the worker's link to the service) keep working. The filter is inherited and cannot be lifted.
On other systems or architectures it does nothing and says so.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct
import sys

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K
_AF_INET, _AF_INET6 = 2, 10
# architecture -> (AUDIT_ARCH value, number of the socket syscall)
_ARCHES = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}
_X32_BIT = 0x40000000


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _stmt(code: int, k: int) -> bytes:
    return struct.pack("HBBI", code, 0, 0, k)


def _jump(code: int, k: int, jt: int, jf: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def _program(arch: int, nr_socket: int, x86: bool) -> bytes:
    deny = _RET_ERRNO | errno.EACCES
    prog = [
        _stmt(_LD_W_ABS, 4),  # seccomp_data.arch
        _jump(_JEQ_K, arch, 1, 0),
        _stmt(_RET_K, deny),  # a foreign ABI could bypass the numbers below: refuse it
        _stmt(_LD_W_ABS, 0),  # seccomp_data.nr
    ]
    if x86:
        prog += [_jump(_JGE_K, _X32_BIT, 0, 1), _stmt(_RET_K, deny)]  # x32 syscalls
    prog += [
        _jump(_JEQ_K, nr_socket, 0, 4),
        _stmt(_LD_W_ABS, 16),  # seccomp_data.args[0], low 32 bits: the address family
        _jump(_JEQ_K, _AF_INET, 1, 0),
        _jump(_JEQ_K, _AF_INET6, 0, 1),
        _stmt(_RET_K, deny),
        _stmt(_RET_K, _RET_ALLOW),
    ]
    return b"".join(prog)


def deny_network() -> bool:
    """Install the filter; True when outbound IP sockets are now refused by the kernel."""
    machine = platform.machine().lower()
    if not sys.platform.startswith("linux") or machine not in _ARCHES or sys.byteorder != "little":
        return False
    arch, nr_socket = _ARCHES[machine]
    code = _program(arch, nr_socket, machine == "x86_64")
    buffer = ctypes.create_string_buffer(code, len(code))
    fprog = _SockFprog(len(code) // 8, ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return bool(libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0)
