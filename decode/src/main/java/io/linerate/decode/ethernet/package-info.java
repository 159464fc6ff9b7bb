/**
 * Ethernet II frames and their IEEE 802.1Q / 802.1ad (QinQ) VLAN tags.
 */
package io.linerate.decode.ethernet;
