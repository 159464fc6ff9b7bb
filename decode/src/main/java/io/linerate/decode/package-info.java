/**
 * The decode stage: {@link io.linerate.decode.PacketDecoder} walks a captured frame's header chain
 * over preallocated flyweights and writes the decoded fields into its ring slot; malformed frames
 * become {@link io.linerate.decode.Anomaly} counts, never exceptions. Each protocol's flyweights live
 * in a package of their own ({@code ethernet}, {@code sll}, {@code loopback}, {@code ip}, {@code tcp},
 * {@code udp}, {@code icmp}).
 */
package io.linerate.decode;
