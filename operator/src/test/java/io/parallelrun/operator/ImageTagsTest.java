package io.parallelrun.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.testing.RepoFiles;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The images the build makes (Jib, `image.registry`/`image.tag` in the parent pom), the chart's defaults and the
 * operator's default proxy image name the same tags, so a fresh build runs with the chart's defaults.
 */
class ImageTagsTest {
  @Test
  void buildChartAndOperatorAgreeOnTheImages() throws Exception {
    String pom = RepoFiles.read(RepoFiles.root().resolve("pom.xml"));
    String tag = group(pom, "<image\\.tag>([^<]+)</image\\.tag>");
    String registry = group(pom, "<image\\.registry>([^<]+)</image\\.registry>");
    String chart = RepoFiles.read(RepoFiles.root().resolve("charts/parallel-run-operator/Chart.yaml"));
    String values = RepoFiles.read(RepoFiles.root().resolve("charts/parallel-run-operator/values.yaml"));

    assertThat(group(chart, "(?m)^appVersion: \"?([^\"\\s]+)\"?")).as("chart appVersion (the default image tag)").isEqualTo(tag);
    assertThat(values).contains("repository: " + registry + "/parallel-run-operator")
        .contains("repository: " + registry + "/parallel-run-proxy");
    assertThat(OperatorSettings.DEFAULT_PROXY_IMAGE).isEqualTo(registry + "/parallel-run-proxy:" + tag);
  }

  private static String group(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("%s in the file", regex).isTrue();
    return m.group(1);
  }
}
