/**
 * Linux "cooked" capture headers (LINKTYPE_LINUX_SLL and LINKTYPE_LINUX_SLL2), written by libpcap
 * for captures on the "any" device and on devices without a link header of their own.
 */
package io.linerate.decode.sll;
