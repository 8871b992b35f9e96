package io.parallelrun.proxy.source;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.proxy.manifest.ManifestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a ParallelRun manifest (YAML or JSON) from a file, for the standalone proxy. */
public final class ManifestFile {
  private ManifestFile() {}

  public static ParallelRun read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ManifestException("--manifest: cannot read " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  @SuppressWarnings("deprecation")
  public static ParallelRun parse(String text, String origin) {
    Object parsed;
    try {
      parsed = Serialization.unmarshal(text, ParallelRun.class);
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) root = root.getCause();
      throw new ManifestException(origin + ": not a ParallelRun manifest: " + root.getMessage(), e);
    }
    if (!(parsed instanceof ParallelRun run)) {
      throw new ManifestException(origin + ": kind: not a ParallelRun manifest");
    }
    if (run.getKind() != null && !"ParallelRun".equals(run.getKind())) {
      throw new ManifestException("kind: expected ParallelRun, not " + run.getKind());
    }
    return run;
  }
}
