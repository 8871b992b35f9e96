package io.parallelrun.proxy.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Every line a Log4j logger writes while open, as formatted; the logger keeps writing to its usual appenders too. */
final class CapturedLog implements AutoCloseable {
  final List<String> lines = new CopyOnWriteArrayList<>();
  private final Logger logger;
  private final AbstractAppender appender;

  CapturedLog(String loggerName) {
    logger = (Logger) LogManager.getLogger(loggerName);
    appender = new AbstractAppender("captured-" + loggerName, null, null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        lines.add(event.getMessage().getFormattedMessage());
      }
    };
    appender.start();
    logger.addAppender(appender);
  }

  String all() {
    return String.join("\n", lines);
  }

  @Override
  public void close() {
    logger.removeAppender(appender);
    appender.stop();
  }
}
