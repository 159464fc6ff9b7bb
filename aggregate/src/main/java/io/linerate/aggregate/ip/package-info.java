/**
 * IP fragment reassembly (RFC 791 §3.2, RFC 8200 §4.5) in front of the flow shards, so a fragmented
 * datagram counts as one packet with its whole payload, as Wireshark shows it.
 */
package io.linerate.aggregate.ip;
