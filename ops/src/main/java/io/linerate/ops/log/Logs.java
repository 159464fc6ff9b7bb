package io.linerate.ops.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * linerate's event log through SLF4J and logback, on stderr: one line per event that matters (the
 * start with the effective settings, a device opened, Kafka connected, lost and back, the end with
 * the run's totals). Plain text by default, JSON lines ({@code --log-format json}) for a log shipper.
 * Off unless {@code --log-level} asks: a command line's stderr already says what a user must know.
 */
public final class Logs
{
    /** The levels {@code --log-level} takes. */
    public static final List<String> LEVELS = List.of("off", "error", "warn", "info", "debug");
    /** The formats {@code --log-format} takes. */
    public static final List<String> FORMATS = List.of("text", "json");
    /** Plain text: time (UTC), level, the logger's short name, the message. */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level %logger{0}: %msg%n";

    private Logs()
    {
    }

    /**
     * Logs linerate's events at {@code level} and above in {@code format}; Kafka's client and the
     * spill's library only at debug.
     */
    public static synchronized void configure(final String level, final String format)
    {
        final LoggerContext context = (LoggerContext)LoggerFactory.getILoggerFactory();
        context.reset();
        final Level threshold = Level.toLevel(level, Level.OFF);
        final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(threshold == Level.DEBUG ? Level.DEBUG : Level.OFF);
        context.getLogger("io.linerate").setLevel(threshold);
        if (threshold == Level.OFF)
        {
            return;
        }
        final Encoder<ILoggingEvent> encoder;
        if ("json".equals(format))
        {
            final JsonEncoder json = new JsonEncoder();
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithArguments(false);
            json.setWithMessage(false);
            json.setWithFormattedMessage(true);
            encoder = json;
        }
        else
        {
            final PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(PATTERN);
            encoder = text;
        }
        encoder.setContext(context);
        encoder.start();
        final ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        root.addAppender(stderr);
    }
}
