package org.fedgen.grpc;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.UpdateValidator;
import org.fedgen.grpc.proto.SecAggReply;
import org.fedgen.grpc.proto.SecAggRequest;
import org.fedgen.privacy.secagg.SecAggClient;
import org.fedgen.privacy.secagg.SecAggConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of secure aggregation for every id a host hosts: one {@link SecAggClient} per id, whose keys, shares
 * and self-mask seed never leave this process except as the protocol sends them, and the masking of each update the
 * server asks to receive masked. The protocol's public parameters come with each round's key advertisement; a
 * change of parameters gives the id fresh client state.
 */
final class HostedSecAggClients {
    private static final Logger LOG = LoggerFactory.getLogger(HostedSecAggClients.class);

    private final Set<Integer> hosted;
    private final boolean required;
    private final Map<Integer, SecAggClient> clients = new ConcurrentHashMap<>();
    private final Map<Integer, SecAggConfig> configs = new ConcurrentHashMap<>();

    /**
     * @param hosted   the ids this host answers for
     * @param required whether every update must go masked: a task that asks for an unmasked one is refused
     */
    HostedSecAggClients(Set<Integer> hosted, boolean required) {
        this.hosted = Set.copyOf(hosted);
        this.required = required;
    }

    /** The answer of the addressed client to one server request: its reply, or why it refuses. */
    SecAggReply answer(SecAggRequest r) {
        int id = r.getClientId();
        if (!hosted.contains(id)) {
            return SecAggWire.refused(r.getExchangeId(), id, r.getRound(), "client " + id + " is not hosted here");
        }
        try {
            SecAggClient c;
            if (r.hasAdvertise()) {
                SecAggConfig config = SecAggWire.config(r.getAdvertise());
                c = clients.compute(id, (k, old) -> old != null && config.equals(configs.get(k)) ? old
                        : new SecAggClient(k, config));
                configs.put(id, config);
            } else {
                c = clients.get(id);
                if (c == null) {
                    throw new IllegalStateException("client " + id + " has not advertised keys");
                }
            }
            return SecAggWire.reply(r.getExchangeId(), id, c.handle(SecAggWire.request(r)));
        } catch (RuntimeException e) {
            LOG.warn("client {}: refuses secure aggregation request of round {}: {}", id, r.getRound(),
                    e.getMessage());
            return SecAggWire.refused(r.getExchangeId(), id, r.getRound(), String.valueOf(e.getMessage()));
        }
    }

    /**
     * The update as it may leave this host: masked when the instructions ask for ring elements (secure
     * aggregation), else unchanged.
     *
     * @throws IllegalStateException if the client missed this round's key exchange (nothing is sent), or if masking
     *                               is required and the server asked for a plain update
     */
    ClientUpdate outgoing(ClientUpdate u, ModelState global, FitInstructions ins) {
        boolean masked = UpdateValidator.RING_BITS_ENCODING.equals(ins.config().get(UpdateValidator.PAYLOAD_ENCODING));
        if (!masked) {
            if (required) {
                throw new IllegalStateException("client " + u.clientId() + " sends only masked updates (secure"
                        + " aggregation required) and the server asked for a plain one in round " + u.round());
            }
            return u;
        }
        SecAggClient c = clients.get(u.clientId());
        if (c == null) {
            throw new IllegalStateException("client " + u.clientId() + " cannot mask its update of round "
                    + u.round() + ": it took part in no key exchange");
        }
        return c.mask(u, global);
    }
}
