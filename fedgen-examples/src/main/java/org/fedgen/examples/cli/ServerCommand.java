package org.fedgen.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import org.fedgen.core.ClientProxy;
import org.fedgen.grpc.ClientTokens;
import org.fedgen.grpc.GrpcFederationServer;
import org.fedgen.grpc.Protocol;
import org.fedgen.grpc.TransportMetricsListener;
import org.fedgen.privacy.secagg.SecAggChannel;
import org.fedgen.privacy.secagg.SecAggConfig;
import org.fedgen.runs.ClientTransport;
import org.fedgen.runs.FederatedRun;
import org.fedgen.runs.RunConfig;
import org.fedgen.runs.RunConfigJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedgen server}: the server of a deployed run, whose clients are {@code fedgen client} processes. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Runs the server of a federated run over gRPC: the same rounds, aggregation, DP and outputs",
            "as 'fedgen train', with the clients in 'fedgen client' processes that dial in."})
public final class ServerCommand implements Callable<Integer> {
    /** Options that may accompany --resume: where and how the server listens, not what is computed. */
    private static final Set<String> WITH_RESUME = Set.of("--resume", "--out", "--rounds", "--port", "--bind",
            "--tls-cert", "--tls-key", "--client-ca", "--tokens", "--min-clients", "--round-timeout", "--verbose",
            "--reconnect-grace");

    /** How long a secure aggregation step waits for one client without --round-timeout. */
    private static final Duration SECAGG_STEP_TIMEOUT = Duration.ofSeconds(60);

    @Mixin
    RunOptions options = new RunOptions();

    @Option(names = "--port", required = true, description = "TCP port to listen on.")
    int port;

    @Option(names = "--bind", description = "Address to listen on (default: ${DEFAULT-VALUE}, every interface).")
    String bind = "0.0.0.0";

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain: TLS on.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PKCS#8 PEM private key of --tls-cert.")
    Path tlsKey;

    @Option(names = "--client-ca", paramLabel = "FILE", description = {"Mutual TLS: clients must present a "
            + "certificate signed by this PEM CA,", "whose subject CN (client-K or clients-A-B) names their ids."})
    Path clientCa;

    @Option(names = "--tokens", paramLabel = "FILE", description = "Bearer tokens: lines '<client id> <sha-256 hex "
            + "of its token>'.")
    Path tokens;

    @Option(names = "--min-clients", description = "Start a round only once this many clients are connected "
            + "(default: --clients).")
    Integer minClients;

    @Option(names = "--round-timeout", paramLabel = "SECONDS", description = "Round deadline: updates later than "
            + "this are dropped (default: wait for every sampled client).")
    Double roundTimeout;

    @Option(names = "--resume", description = "Continue the run in --out from its checkpoint, with the configuration"
            + " it records.")
    boolean resume;

    @Option(names = "--overwrite", description = "Replace a run already in the output directory.")
    boolean overwrite;

    @Option(names = "--reconnect-grace", paramLabel = "SECONDS", description = {"How long a task whose "
            + "connection was lost waits for its client to reconnect", "and be given it again (default: "
            + "${DEFAULT-VALUE}; 0 = fail it at once)."})
    double reconnectGrace = 10;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        FederatedRun run = resume ? resumed() : fresh();
        RunConfig config = run.config();
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (roundTimeout != null && !(roundTimeout > 0)) {
            throw new IllegalArgumentException("--round-timeout must be > 0 seconds, got " + roundTimeout);
        }
        if (!(reconnectGrace >= 0) || Double.isInfinite(reconnectGrace)) {
            throw new IllegalArgumentException("--reconnect-grace must be >= 0 seconds, got " + reconnectGrace);
        }
        GrpcFederationServer.Builder b = GrpcFederationServer.builder().port(port).bindAddress(bind)
                .reconnectGrace(Duration.ofMillis(Math.round(reconnectGrace * 1000)))
                .clients(config.clients()).runConfig(RunConfigJson.write(config))
                .layout(Protocol.layout(FederatedRun.clientModel(config).get().initialize(0)))
                .secureAggregation(config.secureAggregation() != null);
        if (tlsCert != null) {
            b.tls(tlsCert, tlsKey);
        }
        if (clientCa != null) {
            b.clientCa(clientCa);
        }
        if (tokens != null) {
            try {
                b.tokens(ClientTokens.read(tokens));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --tokens " + tokens + ": " + e.getMessage(), e);
            }
        }
        Duration timeout = roundTimeout == null ? null : Duration.ofMillis(Math.round(roundTimeout * 1000));
        try (GrpcFederationServer grpc = b.build().start()) {
            ClientTransport transport = new ClientTransport() {
                @Override
                public ClientProxy client(ClientProxy simulated) {
                    return grpc.proxy(simulated);
                }

                @Override
                public Duration roundTimeout() {
                    return timeout;
                }

                @Override
                public SecAggChannel secureAggregation(SecAggConfig secagg) {
                    // A client that does not answer a protocol step in time is dropped from the round.
                    return grpc.secureAggregation(secagg, timeout == null ? SECAGG_STEP_TIMEOUT : timeout);
                }
            };
            System.out.println("listening on port " + grpc.port() + " for " + config.clients() + " clients");
            Path out = run.listening(grpc.minClients(minClients == null ? config.clients() : minClients),
                    new TransportMetricsListener(config.outputDirectory().resolve("transport.csv"), grpc.counters()))
                    .deployed(transport).run();
            grpc.finish("run complete");
            System.out.println("outputs in " + out.toAbsolutePath());
        }
        return 0;
    }

    private FederatedRun fresh() {
        OptionScope.refuseInapplicable(spec.commandLine().getParseResult(), options);
        FederatedRun run = new FederatedRun(options.toConfig(), new ConsoleProgress());
        return overwrite ? run.overwriting() : run;
    }

    private FederatedRun resumed() {
        var given = spec.commandLine().getParseResult();
        for (OptionSpec o : given.matchedOptions()) {
            if (!WITH_RESUME.contains(o.longestName())) {
                throw new IllegalArgumentException(o.longestName() + " cannot be combined with --resume: the run "
                        + "continues with the configuration its checkpoint records (only --rounds may extend it)");
            }
        }
        if (options.out == null) {
            throw new IllegalArgumentException("--resume needs --out, the run directory to continue");
        }
        return FederatedRun.resume(options.out, given.hasMatchedOption("--rounds") ? options.rounds : null,
                new ConsoleProgress());
    }
}
