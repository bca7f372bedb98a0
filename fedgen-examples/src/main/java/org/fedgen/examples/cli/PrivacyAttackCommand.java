package org.fedgen.examples.cli;

import static org.fedgen.core.util.Checks.require;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.privacy.MembershipMetrics;
import org.fedgen.runs.MembershipInference;
import org.fedgen.runs.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fedgen privacy attack}: membership inference against a checkpoint, mapped to {@link MembershipInference};
 * prints ROC AUC and TPR at 1 % FPR with bootstrap intervals for the family's loss attack and the GAN-Leaks distance
 * attack.
 */
@Command(name = "attack", mixinStandardHelpOptions = true,
        description = {"Membership inference on a trained model: the family's loss attack (VAE ELBO, GAN",
            "discriminator score, DDPM epsilon-loss at fixed timesteps) and the GAN-Leaks distance attack on",
            "generated samples; prints ROC AUC and TPR at 1% FPR with 95% bootstrap intervals."})
public final class PrivacyAttackCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "checkpoint.fgs of a run.")
    Path checkpoint;

    @Option(names = "--members", required = true, description = {"Records the model was trained on: a directory "
            + "with train-images-idx3-ubyte and train-labels-idx1-ubyte, an IDX images file, or 'run' for the "
            + "training records of the checkpoint's own run."})
    String members;

    @Option(names = "--non-members", required = true, description = {"Records it was not trained on: a directory or "
            + "IDX file as for --members, or 'heldout' for the bundled held-out digits."})
    String nonMembers;

    @Option(names = "--max-examples", description = "Records per side at most (default: ${DEFAULT-VALUE}).")
    int maxExamples = 1000;

    @Option(names = "--samples", description = "Generated samples of the distance attack (default: "
            + "${DEFAULT-VALUE}).")
    int samples = 2000;

    @Option(names = "--bootstrap", description = "Bootstrap resamples (default: ${DEFAULT-VALUE}).")
    int bootstrap = 1000;

    @Option(names = "--seed", description = "Seed of subsampling, model noise and bootstrap (default: "
            + "${DEFAULT-VALUE}).")
    long seed = 1;

    @Override
    public Integer call() throws IOException {
        TrainedModel model = TrainedModel.load(checkpoint);
        MembershipInference mia = new MembershipInference(model, maxExamples, samples, bootstrap, seed);
        Dataset in = members.equals("run") ? mia.runMembers() : read(members, "--members");
        Dataset out = nonMembers.equals("heldout") ? MembershipInference.heldOut() : read(nonMembers,
                "--non-members");
        System.out.printf("membership inference on %s (after round %d)%n", checkpoint, model.round());
        for (MembershipInference.Result r : mia.run(in, out)) {
            MembershipMetrics m = r.metrics();
            System.out.printf("%-9s  AUC %.4f [%.4f, %.4f]  TPR@%.0f%%FPR %.4f [%.4f, %.4f]  (%d members, %d"
                    + " non-members, 95%% bootstrap intervals)%n", r.attack(), m.auc(), m.aucLow(), m.aucHigh(),
                    100 * MembershipMetrics.FPR, m.tpr(), m.tprLow(), m.tprHigh(), r.members(), r.nonMembers());
        }
        return 0;
    }

    /** A directory in the IDX layout, or an images file (with labels beside it when a labels file is present). */
    private static Dataset read(String where, String option) throws IOException {
        Path p = Path.of(where);
        require(Files.exists(p), option + " " + where + " does not exist");
        if (Files.isDirectory(p)) {
            Path images = p.resolve("train-images-idx3-ubyte");
            Path labels = p.resolve("train-labels-idx1-ubyte");
            require(Files.exists(images) && Files.exists(labels), option + " " + where + " must hold"
                    + " train-images-idx3-ubyte and train-labels-idx1-ubyte");
            return Digits.fromFiles(images, labels);
        }
        return Digits.fromFiles(p, null);
    }
}
