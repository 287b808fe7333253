package dev.sightline.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sightline} command line. */
@Command(name = "sightline", mixinStandardHelpOptions = true, version = "sightline 0.1.0",
        description = "Self-hosted product analytics built around person profiles.",
        subcommands = {})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
