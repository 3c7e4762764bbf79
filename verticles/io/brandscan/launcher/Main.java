package io.brandscan.launcher;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The jar's entry point: {@code java -jar brandscan.jar <command>}. {@code run <group>} starts a
 * verticle group and keeps the process alive; the other commands run and exit.
 */
@Command(name = "brandscan", mixinStandardHelpOptions = true, version = "brandscan 0.1.0",
        description = "Finds marketplace listings that infringe a brand.",
        subcommands = {RunCommand.class, ScanCommand.class, DemoCommand.class, ScoreImagesCommand.class,
                ScoreTextCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // DJL must never phone home; set before any DJL class loads.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        int code = commandLine().execute(args);
        if (code != RunCommand.KEEP_RUNNING) {
            System.exit(code);
        }
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
