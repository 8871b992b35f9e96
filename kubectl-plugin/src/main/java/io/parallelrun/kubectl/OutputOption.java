package io.parallelrun.kubectl;

import java.io.PrintWriter;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** The -o flag of every subcommand: the same document as a table for people, or as JSON or YAML. */
final class OutputOption {
  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default), json or yaml.")
  OutputFormat format = OutputFormat.table;

  void print(PrintWriter out, Object document, Supplier<String> table) {
    out.print(format == OutputFormat.table ? table.get() : format.render(document));
  }
}
