/**
 * IPv4 (RFC 791) and IPv6 (RFC 8200) headers, IPv6 extension header chains, and the IP protocol
 * numbers that select the next decoder.
 */
package io.linerate.decode.ip;
