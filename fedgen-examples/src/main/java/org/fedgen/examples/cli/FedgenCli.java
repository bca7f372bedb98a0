package org.fedgen.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fedgen} command: federated training of generative models, evaluation, privacy accounting. */
@Command(name = "fedgen", mixinStandardHelpOptions = true, version = "fedgen 0.1.0-SNAPSHOT",
        description = "Federated training of generative models (VAE, GAN, DDPM) on ND4J, with differential privacy.",
        subcommands = {TrainCommand.class, EvalCommand.class, PrivacyCommand.class, BenchCommand.class,
            DdpmSampleCommand.class, CommandLine.HelpCommand.class})
public final class FedgenCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The command line with its error handling: a bad value is one clear line and status 2, not a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new FedgenCli());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof IllegalArgumentException) {
                commandLine.getErr().println("fedgen: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cli;
    }

    /** Entry point; exits with the command's status. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
