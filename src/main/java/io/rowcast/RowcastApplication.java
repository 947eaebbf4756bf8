package io.rowcast;

import io.rowcast.cli.RowcastCli;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Rowcast: the service (no arguments, or Spring options) and the CLI ({@code run}, …) in one jar. */
@SpringBootApplication
public class RowcastApplication {

    public static void main(String[] args) {
        if (RowcastCli.isCommand(args)) {
            System.exit(RowcastCli.execute(args));
        }
        SpringApplication.run(RowcastApplication.class, args);
    }
}
