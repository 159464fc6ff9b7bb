package io.linerate.ops.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * How logback starts: nothing logged. Until the command line has been read (and in programs that
 * call linerate's classes), a user's stderr says what they must know and Kafka's client would fill
 * it with retries; {@link Logs#configure} then sets what the log level and format options ask.
 * Set here in code, found by logback through the service loader, rather than in a
 * {@code logback.xml}: parsing that file loaded logback's configuration language (some 200 classes)
 * on every start, for one line that turns the root logger off.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_TOP_PRIORITY)
public final class QuietStart extends ContextAwareBase implements Configurator
{
    @Override
    public ExecutionStatus configure(final LoggerContext context)
    {
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.OFF);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
