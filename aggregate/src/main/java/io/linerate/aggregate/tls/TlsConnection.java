package io.linerate.aggregate.tls;

import io.linerate.decode.DecodedFrame;

/** What the hello reassembler reads and writes of a connection: its TLS facts and the hello it is collecting. */
public interface TlsConnection
{
    /** Version of the client's hello seen, 0 before it. */
    int tlsClientVersion();

    /** Version of the server's hello seen, 0 before it. */
    int tlsServerVersion();

    /** Notes the TLS hello or plaintext alert that the decoded {@code slot} holds. */
    void noteTls(DecodedFrame slot, boolean fromClient);

    /** The hello being collected across segments, null when none is. */
    HelloReassembler.HelloBuffer tlsHelloBuffer();

    /** Lends the connection a hello buffer, or takes it back (null); returns the one it had. */
    HelloReassembler.HelloBuffer tlsHelloBuffer(HelloReassembler.HelloBuffer buffer);
}
