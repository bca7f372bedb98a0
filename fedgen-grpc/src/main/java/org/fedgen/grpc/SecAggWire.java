package org.fedgen.grpc;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.KeyAgreement;
import org.fedgen.grpc.proto.SecAggAck;
import org.fedgen.grpc.proto.SecAggAdvertise;
import org.fedgen.grpc.proto.SecAggMasking;
import org.fedgen.grpc.proto.SecAggPublicKeys;
import org.fedgen.grpc.proto.SecAggReply;
import org.fedgen.grpc.proto.SecAggRequest;
import org.fedgen.grpc.proto.SecAggShare;
import org.fedgen.grpc.proto.SecAggShareKeys;
import org.fedgen.grpc.proto.SecAggSharesOut;
import org.fedgen.grpc.proto.SecAggUnmask;
import org.fedgen.grpc.proto.SecAggUnmaskShares;
import org.fedgen.privacy.secagg.SecAggConfig;
import org.fedgen.privacy.secagg.SecAggMessage;
import org.fedgen.privacy.secagg.SecAggMessage.Ack;
import org.fedgen.privacy.secagg.SecAggMessage.AdvertiseRequest;
import org.fedgen.privacy.secagg.SecAggMessage.EncryptedShare;
import org.fedgen.privacy.secagg.SecAggMessage.MaskingRequest;
import org.fedgen.privacy.secagg.SecAggMessage.PublicKeys;
import org.fedgen.privacy.secagg.SecAggMessage.ShareKeysRequest;
import org.fedgen.privacy.secagg.SecAggMessage.SharesOut;
import org.fedgen.privacy.secagg.SecAggMessage.UnmaskRequest;
import org.fedgen.privacy.secagg.SecAggMessage.UnmaskResponse;
import org.fedgen.privacy.secagg.Shamir;

/**
 * The mapping between secure aggregation's {@link SecAggMessage} records and their wire messages. What arrives from
 * the other side is checked here, before any of it reaches the protocol: key and share sizes, share values within
 * the Shamir field, and X25519 public keys that are not degenerate (a low-order key would make the server's
 * reconstruction throw instead of failing the round).
 */
final class SecAggWire {
    /** Capability a host names in its Hello when it runs the client side of secure aggregation. */
    static final String FEATURE = "secure-aggregation";
    private static final int KEY_BYTES = 32;
    /** A sealed pair of 66-byte shares is 148 bytes; anything far beyond is not a share. */
    private static final int MAX_CIPHERTEXT = 1024;
    private static final int MAX_SHARE_BYTES = 67;

    private SecAggWire() {
    }

    // ---- server → client ----

    static SecAggRequest request(long exchangeId, int clientId, SecAggMessage m, SecAggConfig config) {
        SecAggRequest.Builder b = SecAggRequest.newBuilder().setExchangeId(exchangeId).setClientId(clientId)
                .setRound(m.round());
        if (m instanceof AdvertiseRequest) {
            b.setAdvertise(SecAggAdvertise.newBuilder().setThreshold(config.threshold()).setBits(config.bits())
                    .setRange(config.range()).setNeighbours(config.neighbours()).setClipNorm(config.clipNorm())
                    .setWeightCap(config.weightCap()));
        } else if (m instanceof ShareKeysRequest r) {
            SecAggShareKeys.Builder s = SecAggShareKeys.newBuilder().setThreshold(r.threshold());
            r.neighbours().forEach(k -> s.addNeighbours(keys(k)));
            b.setShareKeys(s);
        } else if (m instanceof MaskingRequest r) {
            b.setMasking(SecAggMasking.newBuilder().addAllShares(wireShares(r.shares())));
        } else if (m instanceof UnmaskRequest r) {
            b.setUnmask(SecAggUnmask.newBuilder().addAllSurvivors(r.survivors()).addAllDropped(r.dropped()));
        } else {
            throw new IllegalArgumentException("not a server request: " + m.getClass().getSimpleName());
        }
        return b.build();
    }

    /** The parameters an advertisement carries. @throws IllegalArgumentException if they are not valid */
    static SecAggConfig config(SecAggAdvertise a) {
        return new SecAggConfig(a.getThreshold(), a.getBits(), a.getRange(), a.getNeighbours(), a.getClipNorm(),
                a.getWeightCap());
    }

    /**
     * The record of a server request (the client side checks its content against its own state).
     *
     * @throws IllegalArgumentException if the request is empty or its keys are malformed
     */
    static SecAggMessage request(SecAggRequest r) {
        long round = r.getRound();
        return switch (r.getStepCase()) {
            case ADVERTISE -> new AdvertiseRequest(round);
            case SHARE_KEYS -> {
                List<PublicKeys> n = new ArrayList<>();
                for (SecAggPublicKeys k : r.getShareKeys().getNeighboursList()) {
                    n.add(keys(round, k.getClientId(), k));
                }
                yield new ShareKeysRequest(round, r.getShareKeys().getThreshold(), n);
            }
            case MASKING -> new MaskingRequest(round, shares(r.getMasking().getSharesList()));
            case UNMASK -> new UnmaskRequest(round, r.getUnmask().getSurvivorsList(), r.getUnmask().getDroppedList());
            default -> throw new IllegalArgumentException("an empty secure aggregation request");
        };
    }

    // ---- client → server ----

    static SecAggReply reply(long exchangeId, int clientId, SecAggMessage m) {
        SecAggReply.Builder b = SecAggReply.newBuilder().setExchangeId(exchangeId).setClientId(clientId)
                .setRound(m.round());
        if (m instanceof PublicKeys k) {
            b.setPublicKeys(keys(k));
        } else if (m instanceof SharesOut s) {
            b.setShares(SecAggSharesOut.newBuilder().addAllShares(wireShares(s.shares())));
        } else if (m instanceof Ack) {
            b.setAck(SecAggAck.getDefaultInstance());
        } else if (m instanceof UnmaskResponse u) {
            SecAggUnmaskShares.Builder s = SecAggUnmaskShares.newBuilder();
            u.seedShares().forEach((owner, v) -> s.putSeedShares(owner, ByteString.copyFrom(v.toByteArray())));
            u.keyShares().forEach((owner, v) -> s.putKeyShares(owner, ByteString.copyFrom(v.toByteArray())));
            b.setUnmask(s);
        } else {
            throw new IllegalArgumentException("not a client reply: " + m.getClass().getSimpleName());
        }
        return b.build();
    }

    static SecAggReply refused(long exchangeId, int clientId, long round, String why) {
        return SecAggReply.newBuilder().setExchangeId(exchangeId).setClientId(clientId).setRound(round)
                .setRefused(why.length() > 500 ? why.substring(0, 500) + "…" : why).build();
    }

    /**
     * The record of a client's reply, attributed to {@code clientId}, the authenticated id the request went to (the
     * caller has checked that the reply names it).
     *
     * @throws IllegalArgumentException naming what is malformed, or the client's own refusal
     */
    static SecAggMessage reply(SecAggReply r, int clientId, int population) {
        long round = r.getRound();
        return switch (r.getStepCase()) {
            case PUBLIC_KEYS -> {
                if (r.getPublicKeys().getClientId() != clientId) {
                    throw new IllegalArgumentException("public keys of client " + r.getPublicKeys().getClientId()
                            + " in the reply of client " + clientId);
                }
                yield keys(round, clientId, r.getPublicKeys());
            }
            case SHARES -> {
                if (r.getShares().getSharesCount() > population) {
                    throw new IllegalArgumentException(r.getShares().getSharesCount() + " shares for a population of "
                            + population);
                }
                yield new SharesOut(round, clientId, shares(r.getShares().getSharesList()));
            }
            case ACK -> new Ack(round, clientId);
            case UNMASK -> {
                SecAggUnmaskShares u = r.getUnmask();
                if (u.getSeedSharesCount() + u.getKeySharesCount() > population) {
                    throw new IllegalArgumentException((u.getSeedSharesCount() + u.getKeySharesCount())
                            + " shares for a population of " + population);
                }
                yield new UnmaskResponse(round, clientId, values(u.getSeedSharesMap()), values(u.getKeySharesMap()));
            }
            case REFUSED -> throw new IllegalArgumentException("client " + clientId + " refuses: " + r.getRefused());
            default -> throw new IllegalArgumentException("an empty secure aggregation reply");
        };
    }

    // ---- parts ----

    private static SecAggPublicKeys keys(PublicKeys k) {
        return SecAggPublicKeys.newBuilder().setClientId(k.clientId())
                .setEncryptionKey(ByteString.copyFrom(k.encryptionKey()))
                .setMaskKey(ByteString.copyFrom(k.maskKey())).build();
    }

    private static PublicKeys keys(long round, int clientId, SecAggPublicKeys k) {
        return new PublicKeys(round, clientId, publicKey(k.getEncryptionKey(), "encryption", clientId),
                publicKey(k.getMaskKey(), "masking", clientId));
    }

    private static List<SecAggShare> wireShares(List<EncryptedShare> shares) {
        return shares.stream().map(s -> SecAggShare.newBuilder().setFrom(s.from()).setTo(s.to())
                .setCiphertext(ByteString.copyFrom(s.ciphertext())).build()).toList();
    }

    private static List<EncryptedShare> shares(List<SecAggShare> shares) {
        List<EncryptedShare> out = new ArrayList<>();
        for (SecAggShare s : shares) {
            if (s.getCiphertext().size() > MAX_CIPHERTEXT) {
                throw new IllegalArgumentException("a sealed share of " + s.getCiphertext().size() + " bytes, the"
                        + " limit is " + MAX_CIPHERTEXT);
            }
            out.add(new EncryptedShare(s.getFrom(), s.getTo(), s.getCiphertext().toByteArray()));
        }
        return out;
    }

    private static Map<Integer, BigInteger> values(Map<Integer, ByteString> shares) {
        Map<Integer, BigInteger> out = new TreeMap<>();
        shares.forEach((owner, bytes) -> {
            if (bytes.size() > MAX_SHARE_BYTES) {
                throw new IllegalArgumentException("a share of " + bytes.size() + " bytes for client " + owner);
            }
            BigInteger v = new BigInteger(bytes.toByteArray().length == 0 ? new byte[] {0} : bytes.toByteArray());
            if (v.signum() < 0 || v.compareTo(Shamir.PRIME) >= 0) {
                throw new IllegalArgumentException("a share for client " + owner + " outside the Shamir field");
            }
            out.put(owner, v);
        });
        return out;
    }

    /** A 32-byte X25519 public key that agrees to a non-zero secret. */
    private static byte[] publicKey(ByteString key, String what, int clientId) {
        if (key.size() != KEY_BYTES) {
            throw new IllegalArgumentException("client " + clientId + "'s " + what + " key has " + key.size()
                    + " bytes, X25519 keys have " + KEY_BYTES);
        }
        byte[] k = key.toByteArray();
        try {
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(Probe.KEY);
            ka.doPhase(KeyFactory.getInstance("XDH").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519,
                    u(k))), true);
            ka.generateSecret();
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("client " + clientId + "'s " + what + " key is degenerate: "
                    + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is not available in this JDK", e);
        }
        return k;
    }

    /** The u-coordinate of a little-endian X25519 public key (RFC 7748: the top bit is ignored). */
    private static BigInteger u(byte[] le) {
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        be[0] &= 0x7f;
        return new BigInteger(1, be);
    }

    /** A throwaway private key to test peers' public keys with: a small-order point gives an all-zero secret. */
    private static final class Probe {
        static final PrivateKey KEY;

        static {
            try {
                KEY = KeyPairGenerator.getInstance("X25519").generateKeyPair().getPrivate();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("X25519 is not available in this JDK", e);
            }
        }
    }
}
