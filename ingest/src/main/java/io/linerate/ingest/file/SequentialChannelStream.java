package io.linerate.ingest.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * An input stream over a file channel that only ever reads on: for a pipe, a FIFO or standard
 * input, where the JDK's own {@code Channels.newInputStream} asks a {@link FileChannel} for its
 * size and position and fails with "illegal seek". Reading through the channel (not a
 * {@code FileInputStream}) lets another thread close it under a blocked read (a stop request), which
 * then ends with an {@link java.nio.channels.AsynchronousCloseException}.
 */
public final class SequentialChannelStream extends InputStream
{
    private final FileChannel channel;

    public SequentialChannelStream(final FileChannel channel)
    {
        this.channel = channel;
    }

    @Override
    public int read() throws IOException
    {
        final byte[] one = new byte[1];
        final int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(final byte[] b, final int off, final int len) throws IOException
    {
        if (len == 0)
        {
            return 0;
        }
        int n;
        do
        {
            n = channel.read(ByteBuffer.wrap(b, off, len));
        }
        while (n == 0);
        return n;
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
