/**
 * BSD loopback encapsulation (LINKTYPE_NULL) and OpenBSD loopback (LINKTYPE_LOOP): a 4-byte
 * address family in front of the network header.
 */
package io.linerate.decode.loopback;
