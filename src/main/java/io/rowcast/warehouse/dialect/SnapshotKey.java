package io.rowcast.warehouse.dialect;

import java.util.List;

/**
 * The key columns of a sync's snapshot table as the warehouse made them: their names, quoted (ready to
 * use in SQL), and the types their text is cast to (the warehouse's own type names, see
 * {@link WarehouseDialect#castType}), in the order of the sync's primary key.
 */
public record SnapshotKey(List<String> columns, List<String> types) {

    public SnapshotKey {
        columns = List.copyOf(columns);
        types = List.copyOf(types);
    }

    /** {@code alias.k1 = otherAlias.k1 AND alias.k2 = otherAlias.k2 ...} */
    public String equalities(String alias, String otherAlias) {
        return String.join(" AND ", columns.stream().map(k -> alias + "." + k + " = " + otherAlias + "." + k).toList());
    }
}
