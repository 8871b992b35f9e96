package io.parallelrun.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Files of this repository (crds/, examples/), found from the repo.root property that surefire sets. */
public final class RepoFiles {
  private RepoFiles() {}

  public static Path root() {
    return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
  }

  public static Path crd() {
    return root().resolve("crds/parallelruns.parallelrun.io-v1.yml");
  }

  /** Every YAML file under a directory, sorted, so failures name the same file every run. */
  public static List<Path> yamlFilesUnder(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
