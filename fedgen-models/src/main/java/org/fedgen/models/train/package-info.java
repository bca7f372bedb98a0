/**
 * The training kit the model families (VAE, GAN, DDPM) share for local training: how many steps a fit takes
 * ({@link org.fedgen.models.train.StepPlan}), which examples each step sees
 * ({@link org.fedgen.models.train.BatchSampler}), the update of one part — its optimiser step with the FedProx term
 * ({@link org.fedgen.models.train.PartUpdater}, {@link org.fedgen.models.train.ProximalTerm}),
 * seeded native noise ({@link org.fedgen.models.train.NativeRandom}), a model's named part vectors
 * ({@link org.fedgen.models.train.PartVectors}), the checks on a training dataset
 * ({@link org.fedgen.models.train.TrainingData}) and index and label helpers.
 *
 * <p>Every random choice here comes from a seed the caller derives from {@code FitInstructions.seed()}; nothing reads
 * ND4J's global generator.
 */
package org.fedgen.models.train;
