# How tls-hello-first-byte.pcap was made: a real TLS 1.3 connection whose ClientHello's first TCP
# segment carries one byte (the record's content type) and the rest 200 ms later. In a network
# namespace of its own (ip netns add g; ip netns exec g ip link set lo up), as root:
#   ip netns exec g tcpdump -i lo -U -w tls-hello-first-byte.pcap 'tcp port 4433' &
#   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout k.pem -out c.pem \
#       -days 2 -subj /CN=one-byte.example
#   sleep 4 | ip netns exec g openssl s_server -accept 127.0.0.1:4433 -cert c.pem -key k.pem -tls1_3 \
#       -alpn h2 -naccept 1 -quiet &
#   ip netns exec g python3 tls-hello-first-byte.py 4433
# (The server's second session ticket is sent again 6 ms later by its kernel, which Wireshark
# and linerate count as a retransmission, hence the verdict.)
import socket, ssl, sys, time
port = int(sys.argv[1])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx.set_alpn_protocols(["h2", "http/1.1"])
inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
tls = ctx.wrap_bio(inc, out, server_hostname="one-byte.example")
s = socket.create_connection(("127.0.0.1", port))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
try:
    tls.do_handshake()
except ssl.SSLWantReadError:
    pass
hello = out.read()
s.sendall(hello[:1])
time.sleep(0.2)
s.sendall(hello[1:])
while True:
    data = s.recv(65536)
    if not data:
        sys.exit("server closed during the handshake")
    inc.write(data)
    try:
        tls.do_handshake()
        s.sendall(out.read())
        break
    except ssl.SSLWantReadError:
        pending = out.read()
        if pending:
            s.sendall(pending)
print("negotiated", tls.version(), tls.selected_alpn_protocol())
time.sleep(0.1)
# close_notify, then read the server's records (session tickets, its close_notify) to its FIN: a clean close.
try:
    tls.unwrap()
except ssl.SSLWantReadError:
    pass
s.sendall(out.read())
while True:
    data = s.recv(65536)
    if not data:
        break
    inc.write(data)
s.close()
