package io.parallelrun.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code java -jar} child process — the proxy, the operator, a sample app — that a test can stop (SIGTERM, as
 * Kubernetes does) and start again with the same command line. Output goes to a log file, shown on failure.
 */
public final class JavaProcess implements AutoCloseable {
  private final String name;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path log;
  private Process process;

  public JavaProcess(String name, Path jar, List<String> args, Map<String, String> env) {
    this.name = name;
    this.command = new ArrayList<>(List.of(javaBinary(), "-XX:+UseSerialGC", "-Xss512k", "-jar", jar.toString()));
    this.command.addAll(args);
    this.env = Map.copyOf(env);
    try {
      this.log = Files.createTempFile(name + "-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it first (mvn -B package -DskipTests)");
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public synchronized JavaProcess start() {
    if (isAlive()) return this;
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(env);
      process = builder.start();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  public synchronized void stop() {
    if (process == null) return;
    Processes.stop(process, 20);
    process = null;
  }

  public Path log() {
    return log;
  }

  public String logTail(int chars) {
    try {
      String text = Files.readString(log);
      return text.length() > chars ? text.substring(text.length() - chars) : text;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return name + " " + String.join(" ", command);
  }

  @Override
  public void close() {
    stop();
  }
}
