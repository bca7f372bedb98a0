package org.fedgen.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.fedgen.core.RunFailedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/** The {@code fedgen} command: federated training of generative models, evaluation, privacy accounting. */
@Command(name = "fedgen", mixinStandardHelpOptions = true, version = "fedgen 0.1.0-SNAPSHOT",
        description = "Federated training of generative models (VAE, GAN, DDPM) on ND4J, with differential privacy.",
        subcommands = {TrainCommand.class, EvalCommand.class, PrivacyCommand.class, BenchCommand.class,
            DdpmSampleCommand.class, SampleCommand.class, SplitCommand.class, ServerCommand.class,
            ClientCommand.class, CommandLine.HelpCommand.class})
public final class FedgenCli implements Runnable {
    /** Exit status of a bad value or combination of options. */
    static final int BAD_ARGUMENT = 2;
    /** Exit status of any other error (missing file, unwritable output, a run that cannot make progress). */
    static final int FAILED = 1;

    /** JavaCPP's choice of native build variant: "" = generic x86-64, "-avx512" = the AVX-512 build. */
    private static final String NATIVE_BUILD_PROPERTY = "org.bytedeco.javacpp.platform.extension";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "On an error, print its stack trace too.")
    boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * The command line with its error handling: an error is one line on stderr, {@code fedgen: <what went wrong>}, and
     * status 2 for a bad value or combination of options, 1 for anything else; {@code --verbose} adds the stack trace.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new FedgenCli());
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("fedgen: " + ex.getMessage().replace('\n', ' ') + " (see '"
                    + c.getCommandSpec().qualifiedName() + " --help')");
            c.getErr().flush();
            return BAD_ARGUMENT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("fedgen: " + describe(ex));
            if (verbose(parseResult)) {
                ex.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return ex instanceof IllegalArgumentException ? BAD_ARGUMENT : FAILED;
        });
        return cli;
    }

    /** Whether --verbose was given to the root command or any subcommand. */
    private static boolean verbose(CommandLine.ParseResult r) {
        for (CommandLine.ParseResult p = r; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** One line saying what went wrong, without the exception class where the message says it all. */
    static String describe(Throwable ex) {
        if (ex instanceof UncheckedIOException && ex.getMessage() != null) {
            return ex.getMessage().replace('\n', ' ');
        }
        Throwable e = ex;
        if (e instanceof NoSuchFileException f) {
            return "no such file: " + f.getFile();
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof IllegalArgumentException || e instanceof RunFailedException || e instanceof IOException) {
            return String.valueOf(e.getMessage()).replace('\n', ' ');
        }
        return "error: " + e.toString().replace('\n', ' ') + " (run with --verbose for the stack trace)";
    }

    /** Entry point; exits with the command's status. */
    public static void main(String[] args) {
        // Both ND4J native builds ship in lib/; JavaCPP would pick the AVX-512 one by itself, which rounds some ops
        // differently. The generic build stays the default so runs reproduce; ./fedgen passes the user's choice.
        if (System.getProperty(NATIVE_BUILD_PROPERTY) == null) {
            System.setProperty(NATIVE_BUILD_PROPERTY, "");
        }
        System.exit(commandLine().execute(args));
    }
}
