/**
 * UDP headers (RFC 768).
 */
package io.linerate.decode.udp;
