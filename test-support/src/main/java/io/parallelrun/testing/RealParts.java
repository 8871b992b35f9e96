package io.parallelrun.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class that needs a part from outside the JVM: a kube-apiserver and etcd ({@code
 * @EnableKubeAPIServer}), a {@link PrometheusProcess}, the {@link Helm} or {@link Kubectl} binaries, or the
 * node cluster of the end-to-end story. {@code mvn test} leaves these out, so the unit tier runs on a machine
 * with none of them; {@code mvn verify} runs them in the integration-test phase (the root pom's surefire
 * executions filter on the tag {@value #TAG}).
 *
 * <p>Real HTTP servers and clients on 127.0.0.1 inside the JVM (Vert.x, the JDK's HttpServer) are not a reason
 * for this annotation: such tests belong to the unit tier.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(RealParts.TAG)
public @interface RealParts {
  /** The JUnit 5 tag; the root pom names it in the surefire executions' groups and excludedGroups. */
  String TAG = "integration";
}
