package io.rowcast.cli;

import java.util.Set;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code java -jar rowcast.jar <command> ...}. Without a command the jar serves. */
@Command(name = "rowcast", mixinStandardHelpOptions = true, version = "rowcast 0.1.0",
        description = "Reverse ETL on Apache Camel. Without a command, Rowcast runs as a service.",
        subcommands = {SyncCommand.Run.class, SyncCommand.Resync.class, SyncCommand.Reset.class, RetryDeadCommand.class,
                ValidateCommand.class, PreviewCommand.class, CommandLine.HelpCommand.class})
public class RowcastCli {

    private static final Set<String> COMMANDS = Set.of("run", "resync", "reset", "retry-dead", "validate", "preview", "help", "--help", "-h", "--version", "-V");

    public static boolean isCommand(String[] args) {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    public static int execute(String... args) {
        return new CommandLine(new RowcastCli()).execute(args);
    }
}
