package org.fedgen.privacy.secagg;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * The messages of the secure aggregation protocol between the server and one client, as immutable records (byte
 * arrays are copied in and out), so that the two sides share nothing and a network transport can carry them. The
 * masked update itself travels in the client's ordinary {@link org.fedgen.core.ClientUpdate}.
 *
 * <p>Per round: {@link AdvertiseRequest} → {@link PublicKeys}; {@link ShareKeysRequest} → {@link SharesOut}; the server
 * routes the encrypted shares: {@link MaskingRequest} → {@link Ack}; the client uploads its masked update;
 * {@link UnmaskRequest} → {@link UnmaskResponse}.
 */
public sealed interface SecAggMessage {

    /** The round the message belongs to. */
    long round();

    /** Server → client: generate this round's two key pairs and send the public halves. */
    record AdvertiseRequest(long round) implements SecAggMessage {
    }

    /**
     * Client → server: the client's public encryption key (for the shares it exchanges) and masking key (for the
     * pairwise masks), 32 bytes each.
     */
    record PublicKeys(long round, int clientId, byte[] encryptionKey, byte[] maskKey) implements SecAggMessage {
        public PublicKeys {
            encryptionKey = encryptionKey.clone();
            maskKey = maskKey.clone();
        }

        @Override
        public byte[] encryptionKey() {
            return encryptionKey.clone();
        }

        @Override
        public byte[] maskKey() {
            return maskKey.clone();
        }
    }

    /**
     * Server → client: the threshold and the public keys of the client's neighbours this round (every other client
     * that advertised keys, or its SecAgg+ neighbours).
     */
    record ShareKeysRequest(long round, int threshold, List<PublicKeys> neighbours) implements SecAggMessage {
        public ShareKeysRequest {
            neighbours = List.copyOf(neighbours);
        }
    }

    /** One client's Shamir shares for another, sealed so that only the recipient can open them. */
    record EncryptedShare(int from, int to, byte[] ciphertext) {
        public EncryptedShare {
            ciphertext = ciphertext.clone();
        }

        @Override
        public byte[] ciphertext() {
            return ciphertext.clone();
        }
    }

    /** Client → server: the client's shares of its masking key and self-mask seed, one per neighbour. */
    record SharesOut(long round, int clientId, List<EncryptedShare> shares) implements SecAggMessage {
        public SharesOut {
            shares = List.copyOf(shares);
        }
    }

    /**
     * Server → client: the shares its neighbours sent it. Their senders are the neighbours it masks with; a neighbour
     * that sent none dropped out before masking.
     */
    record MaskingRequest(long round, List<EncryptedShare> shares) implements SecAggMessage {
        public MaskingRequest {
            shares = List.copyOf(shares);
        }
    }

    /** Client → server: the shares were accepted; the client will mask with their senders. */
    record Ack(long round, int clientId) implements SecAggMessage {
    }

    /**
     * Server → client: which clients' updates are in the sum (their self-mask seeds must be reconstructed) and which
     * dropped after sharing (their masking keys must be reconstructed). The sets are disjoint: a client refuses a
     * request that asks for both secrets of anyone.
     */
    record UnmaskRequest(long round, List<Integer> survivors, List<Integer> dropped) implements SecAggMessage {
        public UnmaskRequest {
            survivors = List.copyOf(survivors);
            dropped = List.copyOf(dropped);
        }
    }

    /**
     * Client → server: the shares it holds of survivors' self-mask seeds and of dropped clients' masking keys, by
     * owner; each share is the owner's polynomial at x = clientId + 1.
     */
    record UnmaskResponse(long round, int clientId, Map<Integer, BigInteger> seedShares,
            Map<Integer, BigInteger> keyShares) implements SecAggMessage {
        public UnmaskResponse {
            seedShares = Map.copyOf(seedShares);
            keyShares = Map.copyOf(keyShares);
        }
    }
}
