package org.fedgen.models.gan;

/**
 * Bytes exchanged in MD-GAN, by direction (float32 and int32 entries count 4 bytes, reported loss values 8).
 *
 * @param serverToClients generated batches and their labels
 * @param clientsToServer ∂L_G/∂X feedback and the two reported losses
 * @param clientToClient  discriminators moved by swaps (peer to peer)
 */
public record MdGanTraffic(long serverToClients, long clientsToServer, long clientToClient) {
    /** No traffic. */
    public static final MdGanTraffic NONE = new MdGanTraffic(0, 0, 0);

    /** The element-wise sum. */
    public MdGanTraffic plus(MdGanTraffic o) {
        return new MdGanTraffic(serverToClients + o.serverToClients, clientsToServer + o.clientsToServer,
                clientToClient + o.clientToClient);
    }

    /** All directions together. */
    public long total() {
        return serverToClients + clientsToServer + clientToClient;
    }
}
