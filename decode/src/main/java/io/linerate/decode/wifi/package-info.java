/**
 * IEEE 802.11 (Wi-Fi) captures: the radiotap header of a card in monitor mode and the 802.11 MAC
 * header of a data frame, down to its LLC/SNAP header.
 */
package io.linerate.decode.wifi;
