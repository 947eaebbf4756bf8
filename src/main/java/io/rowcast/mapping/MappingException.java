package io.rowcast.mapping;

import java.util.List;

/** A mapping file that cannot be used, with every problem found in it, each as {@code file:line:column: message}. */
public class MappingException extends RuntimeException {

    private final List<String> problems;

    public MappingException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() { return problems; }
}
