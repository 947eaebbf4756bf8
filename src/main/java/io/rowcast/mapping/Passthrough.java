package io.rowcast.mapping;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Set;

/**
 * Copies the row's other columns into one object of the record (CleverTap's evtData, Hightouch's
 * properties…): every column matching {@code columns} (globs; default all), except those listed and those
 * the mapping's fields already use.
 */
public record Passthrough(String into, List<PathMatcher> include, Set<String> except) {

    public static Passthrough of(String into, List<String> columns, Set<String> except) {
        List<PathMatcher> include = (columns == null || columns.isEmpty() ? List.of("*") : columns).stream()
                .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob)).toList();
        return new Passthrough(into, include, except);
    }

    /** Except is compared as SQL compares names: except SSN keeps PostgreSQL's folded ssn out. */
    public boolean copies(String column) {
        return except.stream().noneMatch(column::equalsIgnoreCase) && include.stream().anyMatch(m -> m.matches(Path.of(column)));
    }
}
