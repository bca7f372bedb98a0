/**
 * Secure aggregation (Bonawitz et al. 2017, with the sparse neighbour graph of SecAgg+, Bell et al. 2020): the server
 * learns only the sum of the surviving clients' clipped, quantised updates, and still recovers it when some clients drop
 * out after the key exchange.
 *
 * <p>Client side: {@link org.fedgen.privacy.secagg.SecAggClient} holds one client's keys and secrets and masks its
 * update; {@link org.fedgen.privacy.secagg.MaskingClientProxy} puts it in front of a client. Server side:
 * {@link org.fedgen.privacy.secagg.SecureAggregator} runs the protocol and unmasks the sum. The two sides exchange only
 * {@link org.fedgen.privacy.secagg.SecAggMessage} records through a {@link org.fedgen.privacy.secagg.SecAggChannel}, so a
 * network transport can carry the same messages. {@link org.fedgen.privacy.secagg.SecureAggregation} wires both sides
 * and refuses rules that need individual updates. Only the JDK's cryptography is used: X25519, AES-CTR, AES-GCM,
 * SHA-256 and {@code SecureRandom}.
 */
package org.fedgen.privacy.secagg;
