package org.fedgen.privacy.secagg;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link SecAggChannel} to clients in this JVM: each request is handed to the registered client's endpoint. */
public final class InProcessSecAggChannel implements SecAggChannel {
    private final Map<Integer, SecAggClient> clients = new ConcurrentHashMap<>();

    /** Makes a client reachable; ids must be unique. */
    public void register(SecAggClient client) {
        if (clients.putIfAbsent(client.id(), client) != null) {
            throw new IllegalArgumentException("secure aggregation client " + client.id() + " is already registered");
        }
    }

    @Override
    public SecAggMessage exchange(int clientId, SecAggMessage request) {
        SecAggClient c = clients.get(clientId);
        if (c == null) {
            throw new IllegalStateException("no secure aggregation client " + clientId + " is registered");
        }
        return c.handle(request);
    }
}
