#!/usr/bin/env python3
"""The two ends of VerdictTrafficTest's TCP connections, each behaving as its verdict needs.

    peer.py serve HOST PORT [--rcvbuf BYTES] [--pause SECONDS]
        listens, accepts one connection, sends the banner "hello\\n", waits --pause seconds without
        reading (a receiver that stops reading: its window closes), then reads until the client's
        FIN, answers "received N\\n" and closes.
    peer.py send HOST PORT BYTES [--rate BYTES_PER_SECOND]
        connects, sends BYTES (paced by the kernel at --rate: SO_MAX_PACING_RATE, as a slower link
        would), closes its side (FIN), prints the server's banner and answer.
    peer.py abort HOST PORT
        connects, reads the banner, sends "bye", waits for it to be acknowledged, then closes with
        SO_LINGER 0: the kernel sends a RST instead of a FIN.
    peer.py trickle HOST PORT CHUNKS
        connects, reads the banner, prints "connected", waits for a line on stdin (the capture is
        started then), sends CHUNKS chunks of 1000 bytes 50 ms apart, closes its side, prints the answer.
Each prints one line of what it did, so a failing test can show it.
"""
import socket
import struct
import sys
import time

SO_MAX_PACING_RATE = getattr(socket, "SO_MAX_PACING_RATE", 47)  # Linux, asm-generic/socket.h


def serve(host, port, rcvbuf=0, pause=0.0):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        # Set before listen so the accepted socket inherits it (and the window scale follows it).
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    ls.bind((host, port))
    ls.listen(1)
    print("listening", flush=True)
    c, peer = ls.accept()
    c.sendall(b"hello\n")
    time.sleep(pause)
    n = 0
    while True:
        try:
            b = c.recv(1 << 16)
        except ConnectionResetError:
            print("reset by %s:%d after %d bytes" % (peer[0], peer[1], n), flush=True)
            return
        if not b:
            break
        n += len(b)
    c.sendall(b"received %d\n" % n)
    c.close()
    print("received %d bytes from %s:%d" % (n, peer[0], peer[1]), flush=True)


def read_all(s):
    out = b""
    while True:
        b = s.recv(1 << 16)
        if not b:
            return out
        out += b


def send(host, port, count, rate=0):
    s = socket.create_connection((host, port), timeout=30)
    if rate:
        s.setsockopt(socket.SOL_SOCKET, SO_MAX_PACING_RATE, rate)
    chunk = b"x" * 65536
    left = count
    while left > 0:
        s.sendall(chunk[:min(left, len(chunk))])
        left -= min(left, len(chunk))
    s.shutdown(socket.SHUT_WR)
    answer = read_all(s)
    s.close()
    print("sent %d, server said %r" % (count, answer), flush=True)


def abort(host, port):
    s = socket.create_connection((host, port), timeout=30)
    banner = s.recv(100)
    s.sendall(b"bye\n")
    time.sleep(0.2)  # the server's ACK of "bye" comes back first
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    print("banner %r, sent 4 bytes, closed with RST" % banner, flush=True)


def trickle(host, port, chunks):
    s = socket.create_connection((host, port), timeout=30)
    s.recv(100)
    print("connected", flush=True)
    sys.stdin.readline()
    for _ in range(chunks):
        s.sendall(b"t" * 1000)
        time.sleep(0.05)
    s.shutdown(socket.SHUT_WR)
    answer = read_all(s)
    s.close()
    print("sent %d, server said %r" % (chunks * 1000, answer), flush=True)


def main(argv):
    mode, host, port = argv[1], argv[2], int(argv[3])
    if mode == "serve":
        opts = dict(zip(argv[4::2], argv[5::2]))
        serve(host, port, int(opts.get("--rcvbuf", 0)), float(opts.get("--pause", 0)))
    elif mode == "send":
        opts = dict(zip(argv[5::2], argv[6::2]))
        send(host, port, int(argv[4]), int(opts.get("--rate", 0)))
    elif mode == "abort":
        abort(host, port)
    elif mode == "trickle":
        trickle(host, port, int(argv[4]))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main(sys.argv)
