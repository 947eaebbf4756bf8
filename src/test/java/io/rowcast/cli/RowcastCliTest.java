package io.rowcast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The command line's own words: help is a command, as the jar's dispatch takes it to be. */
class RowcastCliTest {

    @Test
    void helpIsACommandAndExplainsTheOthers() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        try {
            assertThat(RowcastCli.isCommand(new String[] {"help"})).isTrue();
            assertThat(RowcastCli.execute("help")).isZero();
            assertThat(RowcastCli.execute("help", "validate")).isZero();
        } finally {
            System.setOut(original);
        }
        assertThat(out.toString()).contains("Usage: rowcast").contains("preview").contains("Usage: rowcast validate");
    }
}
