/**
 * ICMP (RFC 792) and ICMPv6 (RFC 4443) headers, and the types whose messages quote the datagram
 * that caused them.
 */
package io.linerate.decode.icmp;
