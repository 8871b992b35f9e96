package io.parallelrun.proxy.source;

import io.parallelrun.api.ParallelRun;
import io.parallelrun.proxy.manifest.RoutingTableFactory;
import io.parallelrun.proxy.routing.RoutingTable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** The current routing table, swapped atomically: a request keeps the table it started with. */
public final class TableHolder implements Supplier<RoutingTable> {
  private final RoutingTableFactory factory;
  private final AtomicReference<RoutingTable> current = new AtomicReference<>();

  public TableHolder(RoutingTableFactory factory) {
    this.factory = factory;
  }

  @Override
  public RoutingTable get() {
    return current.get();
  }

  /** Builds a table from the manifest and swaps it in; on a bad manifest it throws and keeps the old one. */
  public RoutingTable apply(ParallelRun run) {
    RoutingTable table = factory.build(run);
    current.set(table);
    return table;
  }
}
