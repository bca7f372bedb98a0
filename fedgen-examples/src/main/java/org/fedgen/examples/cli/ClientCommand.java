package org.fedgen.examples.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.fedgen.core.metrics.KernelMmd;
import org.fedgen.grpc.ClientDataFiles;
import org.fedgen.grpc.GrpcClientHost;
import org.fedgen.runs.FederatedRun;
import org.fedgen.runs.RunConfigJson;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedgen client}: one or many clients of a deployed run, dialling a {@code fedgen server}. */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = {"Takes part in a deployed run as one client (--id K --data DIR/client-K) or many",
            "(--ids 0-9 --data DIR, with DIR/client-K per id), until the server says the run is over."})
public final class ClientCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, paramLabel = "HOST:PORT", description = "The server to dial.")
    String server;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Ids ids;

    /** Exactly one of --id and --ids. */
    static final class Ids {
        @Option(names = "--id", description = "This client's id; --data is its own folder.")
        Integer id;

        @Option(names = "--ids", paramLabel = "RANGES", description = "Ids to host, e.g. 0-9 or 0-4,7; --data holds "
                + "client-K per id.")
        String ranges;
    }

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Client data, as 'fedgen split' "
            + "writes it.")
    Path data;

    @Option(names = "--token", description = "Bearer token for every hosted id.")
    String token;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "TLS: trust the server certificate signed by "
            + "this PEM CA (or that self-signed certificate).")
    Path tlsCa;

    @Option(names = "--cert", paramLabel = "FILE", description = "Mutual TLS: this host's PEM certificate chain.")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "Mutual TLS: the PKCS#8 PEM key of --cert.")
    Path key;

    @Option(names = "--workers", description = "Worker threads, each with one model (default: ${DEFAULT-VALUE}).")
    int workers = 1;

    @Option(names = "--give-up-after", paramLabel = "SECONDS", description = "Exit with an error once the server has "
            + "been unreachable this long (default: ${DEFAULT-VALUE}).")
    long giveUpAfter = 300;

    @Option(names = "--require-secure-aggregation", description = {"Send updates only masked by secure aggregation:",
            "a task of a server that does not run it fails without anything being sent."})
    boolean requireSecureAggregation;

    @Override
    public Integer call() {
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("--cert and --key go together");
        }
        GrpcClientHost.Builder b = GrpcClientHost.builder().target(server).workers(workers)
                .model(json -> FederatedRun.clientModel(RunConfigJson.read(json, "the server's run configuration")))
                .generatorScore(KernelMmd.medianHeuristic()::mmd2).giveUpAfter(Duration.ofSeconds(giveUpAfter))
                .requireSecureAggregation(requireSecureAggregation);
        if (ids.id != null) {
            b.client(ids.id, ClientDataFiles.load(data));
        } else {
            for (int id : parseRanges(ids.ranges)) {
                b.client(id, ClientDataFiles.load(data.resolve("client-" + id)));
            }
        }
        if (token != null) {
            b.token(token);
        }
        if (tlsCa != null) {
            b.trustCa(tlsCa);
        }
        if (cert != null) {
            b.clientCertificate(cert, key);
        }
        try {
            b.build().run();
        } catch (IllegalStateException e) {
            // Refused, unreachable or a model that does not fit: the reason is the whole message.
            System.err.println("fedgen: " + e.getMessage());
            return FedgenCli.FAILED;
        }
        System.out.println("run complete");
        return 0;
    }

    /** "0-4,7" → [0, 1, 2, 3, 4, 7]. */
    static List<Integer> parseRanges(String s) {
        TreeSet<Integer> out = new TreeSet<>();
        for (String part : s.split(",")) {
            String p = part.strip();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(?:-(\\d{1,9}))?").matcher(p);
            if (!m.matches()) {
                throw new IllegalArgumentException("--ids: '" + p + "' is not an id or a range A-B");
            }
            int lo = Integer.parseInt(m.group(1));
            int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
            if (hi < lo || hi - lo > 1_000_000) {
                throw new IllegalArgumentException("--ids: range '" + p + "' is empty or too large");
            }
            for (int i = lo; i <= hi; i++) {
                out.add(i);
            }
        }
        return List.copyOf(out);
    }
}
