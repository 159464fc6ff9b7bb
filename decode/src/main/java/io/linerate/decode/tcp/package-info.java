/**
 * TCP headers (RFC 9293 §3.1) and their options: MSS (RFC 9293 §3.7.1), window scale and timestamps
 * (RFC 7323), SACK (RFC 2018).
 */
package io.linerate.decode.tcp;
