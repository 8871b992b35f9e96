package io.parallelrun.kubectl;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * {@code kubectl parallelrun}: kubectl finds the launcher {@code kubectl-parallelrun} on PATH and runs it with
 * the remaining arguments. Exit codes: 0 done, 1 an error (one line on stderr, {@code error: ...}), 2 a usage
 * error.
 */
@Command(name = "kubectl parallelrun", mixinStandardHelpOptions = true, versionProvider = KubectlParallelRun.Version.class,
    description = "Reads and steers ParallelRuns (parallel-run migrations): status, diff, suggest, approve, rollback, "
        + "pause, resume.",
    subcommands = {StatusCommand.class, DiffCommand.class, SuggestCommand.class, ApproveCommand.class,
        RollbackCommand.class, PausedCommand.Pause.class, PausedCommand.Resume.class})
public final class KubectlParallelRun implements Runnable {
  static final int ERROR = 1;
  static final int USAGE = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs one command line, writing to out and err; returns the exit code. */
  static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new KubectlParallelRun());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(KubectlParallelRun::usageError);
    cli.setExecutionExceptionHandler((e, commandLine, parsed) -> failed(e, commandLine.getErr()));
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** Without a subcommand: the usage, and a usage error's exit code. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new ParameterException(spec.commandLine(), "a subcommand is required");
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    command.getErr().println("error: " + e.getMessage() + " (see '" + command.getCommandSpec().qualifiedName() + " --help')");
    return USAGE;
  }

  private static int failed(Exception e, PrintWriter err) {
    err.println("error: " + message(e));
    return ERROR;
  }

  /** One line: the API server's own message when it sent one (forbidden, invalid, ...), else the cause. */
  static String message(Throwable e) {
    String text;
    if (e instanceof UserError) {
      text = e.getMessage();
    } else if (e instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
      text = k.getStatus().getMessage() + (k.getCode() > 0 ? " (HTTP " + k.getCode() + ")" : "");
    } else {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) root = root.getCause();
      text = e.getMessage() == null ? e.toString() : e.getMessage();
      if (root != e && root.getMessage() != null && !text.contains(root.getMessage())) text += ": " + root.getMessage();
    }
    return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  /** The jar's Implementation-Version, as the other binaries of this project print theirs. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = KubectlParallelRun.class.getPackage().getImplementationVersion();
      return new String[] {"kubectl-parallelrun " + (version != null ? version : "(unpackaged build)")};
    }
  }
}
