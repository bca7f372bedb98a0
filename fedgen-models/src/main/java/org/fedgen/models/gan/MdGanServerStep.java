package org.fedgen.models.gan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundContext;
import org.fedgen.core.ServerStep;
import org.fedgen.models.optim.WeightAverage;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One MD-GAN round as a {@link ServerStep}: a block of {@link MdGanTrainer} iterations, each an exchange of generated
 * batches and their generator-loss gradients with every client endpoint (in index order), one generator step and a
 * discriminator swap when one is due. The round ends with the server's generator (or its moving average over
 * iterations) and client 0's discriminator, which evaluation scores.
 *
 * <p>Reports {@code sampled} and {@code accepted} (every endpoint takes part in every iteration), {@code examples}
 * (their training examples), {@code iterations}
 * (done so far), the mean losses {@code client_loss} (= {@code client_d_loss}) and {@code client_g_loss},
 * {@code swaps}, and the round's traffic by direction: {@code bytes_down} generated batches, {@code bytes_up} feedback,
 * {@code bytes_peer} swapped discriminators.
 */
public final class MdGanServerStep implements ServerStep {
    private final MdGanTrainer trainer;
    private final List<? extends MdGanClientEndpoint> clients;
    private final long iterationsPerRound;
    private final WeightAverage average;

    /**
     * @param trainer            the MD-GAN server, which holds the generator and drives {@code clients}
     * @param clients            the trainer's endpoints, the first of which supplies the evaluated discriminator
     * @param iterationsPerRound trainer iterations per round (&gt;= 1)
     * @param average            the generator's moving average over iterations, or null for the last weights
     */
    public MdGanServerStep(MdGanTrainer trainer, List<? extends MdGanClientEndpoint> clients, long iterationsPerRound,
            WeightAverage average) {
        this.trainer = Objects.requireNonNull(trainer, "trainer");
        this.clients = List.copyOf(clients);
        if (iterationsPerRound < 1) {
            throw new IllegalArgumentException("MD-GAN needs >= 1 iteration per round, got " + iterationsPerRound);
        }
        this.iterationsPerRound = iterationsPerRound;
        this.average = average;
    }

    /**
     * The state before the first round: the trainer's generator and client 0's discriminator. A server running this
     * step should treat the generator as server-trained and the discriminator as local-only, and sample no client
     * for a fit: the clients take part through the trainer's exchange.
     */
    public ModelState initialState() {
        return state(0);
    }

    /** Runs the round's iterations and returns the generator (or its average) with client 0's discriminator. */
    @Override
    public ModelState apply(ModelState aggregated, RoundContext context) {
        MdGanTraffic traffic = MdGanTraffic.NONE;
        double gLoss = 0;
        double dLoss = 0;
        int swaps = 0;
        for (long i = 0; i < iterationsPerRound; i++) {
            MdGanIteration it = trainer.iterate();
            traffic = traffic.plus(it.traffic());
            gLoss += it.generatorLoss() / iterationsPerRound;
            dLoss += it.discriminatorLoss() / iterationsPerRound;
            swaps += it.swapped() ? 1 : 0;
            if (average != null) {
                trainer.averageGenerator(average);
            }
        }
        context.metric("sampled", clients.size());
        context.metric("accepted", clients.size());
        context.metric("examples", clients.stream().mapToLong(MdGanClientEndpoint::numExamples).sum());
        context.metric("iterations", trainer.iteration());
        context.metric("client_loss", dLoss);
        context.metric("client_d_loss", dLoss);
        context.metric("client_g_loss", gLoss);
        context.metric("swaps", swaps);
        context.metric("bytes_down", traffic.serverToClients());
        context.metric("bytes_up", traffic.clientsToServer());
        context.metric("bytes_peer", traffic.clientToClient());
        return state(context.round());
    }

    private ModelState state(long round) {
        return ModelState.builder(round)
                .part(Gan.GENERATOR, average != null && round > 0 ? average.average() : trainer.generator())
                .part(Gan.DISCRIMINATOR, clients.get(0).exportDiscriminator()).build();
    }

    /**
     * The server's generator and Adam state ({@code server/}), the generator average ({@code average/}) and every
     * in-process client's discriminator and Adam state ({@code client/<k>/}). In a deployment the clients' part is
     * theirs to persist (see {@link MdGanClient#state()}); this step can only hold it for in-process clients.
     */
    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        trainer.state().forEach((k, v) -> s.put("server/" + k, v));
        if (average != null) {
            average.state().forEach((k, v) -> s.put("average/" + k, v));
        }
        for (int k = 0; k < clients.size(); k++) {
            if (!(clients.get(k) instanceof MdGanClient c)) {
                throw new IllegalStateException("MD-GAN client " + k + " is remote (" + clients.get(k).getClass()
                        .getSimpleName() + "): it persists its own discriminator, the server cannot checkpoint it");
            }
            int id = k;
            c.state().forEach((name, v) -> s.put("client/" + id + "/" + name, v));
        }
        return s;
    }

    @Override
    public void restoreState(Map<String, INDArray> s) {
        trainer.restoreState(MdGanTrainer.under("server/", s));
        if (average != null) {
            average.restoreState(MdGanTrainer.under("average/", s));
        }
        for (int k = 0; k < clients.size(); k++) {
            if (!(clients.get(k) instanceof MdGanClient c)) {
                throw new IllegalStateException("MD-GAN client " + k + " is remote: it restores its own state");
            }
            c.restoreState(MdGanTrainer.under("client/" + k + "/", s));
        }
    }
}
