package io.linerate.ingest.live;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.linerate.ingest.os.Privileges;
import io.linerate.ingest.ring.FrameSlot;
import io.linerate.ingest.ring.FrameStage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live capture on the loopback device with a ring far too small for a slow consumer: the capture
 * thread takes every frame the kernel hands it at the rate they arrive, drops and counts what finds
 * the ring full, and never waits for the consumer. Real datagrams to 127.0.0.1, captured by libpcap.
 */
class CaptureLoopTest
{
    private static final int FRAMES = 400;
    private static final int RING = 4;

    private int port;

    @BeforeEach
    void needsRoot() throws Exception
    {
        Assumptions.assumeTrue(Privileges.effectiveUid() == 0, "live capture needs root (or CAP_NET_RAW)");
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort();
        }
    }

    @Test
    void aSlowConsumerCostsFramesNotTheCapture() throws Exception
    {
        final AtomicLong consumed = new AtomicLong();
        final long sleepMillis = 5;
        final Disruptor<FrameSlot> disruptor = new Disruptor<>(FrameSlot::new, RING, Thread::new, ProducerType.SINGLE,
            new BlockingWaitStrategy());
        disruptor.handleEventsWith((EventHandler<FrameSlot>)(slot, sequence, endOfBatch) ->
        {
            if (!slot.endOfInput)
            {
                Thread.sleep(sleepMillis);
                consumed.incrementAndGet();
            }
        });
        final RingBuffer<FrameSlot> ring = disruptor.start();
        try (LiveHandle handle = LiveHandle.open("lo", 256, false, false, 8 << 20, 100, "udp dst port " + port))
        {
            final CaptureLoop loop = new CaptureLoop(handle, FRAMES, TimeUnit.SECONDS.toNanos(30), null);
            final ExecutorService capture = Executors.newSingleThreadExecutor();
            final Future<Long> end = capture.submit(() -> endSlot(ring, loop.run(ring, ring.next(), FrameStage.none())));
            send(FRAMES);
            final long last = end.get(2, TimeUnit.MINUTES);
            capture.shutdown();
            ring.get(last).endOfInput = true;
            ring.publish(last);
            disruptor.shutdown(30, TimeUnit.SECONDS);

            final long[] kernel = new long[3];
            handle.stats(kernel);
            assertEquals(FRAMES, loop.captured(), "every datagram captured (kernel drops: " + kernel[1] + ")");
            assertEquals(loop.captured(), loop.published() + loop.ringDrops(), "each frame published or dropped");
            assertTrue(loop.ringDrops() > FRAMES / 2, "most frames found the ring full: " + loop.ringDrops());
            assertTrue(loop.published() >= RING, "the ring was filled: " + loop.published());
            assertEquals(loop.published(), consumed.get(), "the consumer saw every published frame");
            // The capture did not wait for the consumer (FRAMES * 5 ms): the ring drops above prove it.
            // A bound on the capture's wall time would say the same on an idle machine and fail on a
            // busy one.
        }
    }

    @Test
    void aStuckConsumerStillLetsEveryFrameBeCapturedAndCounted() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicLong consumed = new AtomicLong();
        final Disruptor<FrameSlot> disruptor = new Disruptor<>(FrameSlot::new, RING, Thread::new, ProducerType.SINGLE,
            new BlockingWaitStrategy());
        disruptor.handleEventsWith((EventHandler<FrameSlot>)(slot, sequence, endOfBatch) ->
        {
            release.await();
            if (!slot.endOfInput)
            {
                consumed.incrementAndGet();
            }
        });
        final RingBuffer<FrameSlot> ring = disruptor.start();
        try (LiveHandle handle = LiveHandle.open("lo", 256, false, false, 8 << 20, 100, "udp dst port " + port))
        {
            final CaptureLoop loop = new CaptureLoop(handle, FRAMES, TimeUnit.SECONDS.toNanos(30), null);
            final ExecutorService capture = Executors.newSingleThreadExecutor();
            final Future<Long> end = capture.submit(() -> endSlot(ring, loop.run(ring, ring.next(), FrameStage.none())));
            send(FRAMES);
            await("every datagram captured").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(10))
                .until(loop::captured, n -> n >= FRAMES);
            // The consumer has not taken one frame, yet every frame was captured: the capture never
            // waited. (Only the end-of-input marker, after the capture, waits for a slot.)
            assertEquals(0, consumed.get());
            assertEquals(FRAMES, loop.captured());
            assertEquals(RING, loop.published(), "exactly the ring's slots were published");
            assertEquals(FRAMES - RING, loop.ringDrops());
            release.countDown();
            final long last = end.get(2, TimeUnit.MINUTES);
            capture.shutdown();
            ring.get(last).endOfInput = true;
            ring.publish(last);
            disruptor.shutdown(30, TimeUnit.SECONDS);
            assertEquals(RING, consumed.get());
        }
    }

    @Test
    void stopMakesAWaitingCaptureReturn() throws Exception
    {
        final Disruptor<FrameSlot> disruptor = new Disruptor<>(FrameSlot::new, RING, Thread::new, ProducerType.SINGLE,
            new BlockingWaitStrategy());
        disruptor.handleEventsWith((EventHandler<FrameSlot>)(slot, sequence, endOfBatch) -> { });
        final RingBuffer<FrameSlot> ring = disruptor.start();
        try (LiveHandle handle = LiveHandle.open("lo", 256, false, true, 0, 100, "udp dst port " + port))
        {
            final CaptureLoop loop = new CaptureLoop(handle, Long.MAX_VALUE, Long.MAX_VALUE, null);
            final ExecutorService capture = Executors.newSingleThreadExecutor();
            final Future<Long> end = capture.submit(() -> endSlot(ring, loop.run(ring, ring.next(), FrameStage.none())));
            Thread.sleep(300);
            loop.stop();
            // Without stop() it would never return (no frame limit, no duration); a bound on how soon
            // is a bound on the machine's load, so the wait is generous.
            final long last = end.get(2, TimeUnit.MINUTES);
            capture.shutdown();
            assertEquals(0, loop.captured());
            ring.get(last).endOfInput = true;
            ring.publish(last);
            disruptor.shutdown(5, TimeUnit.SECONDS);
        }
    }

    /** Sends {@code n} datagrams to the test's port on 127.0.0.1, as fast as the socket takes them. */
    private void send(final int n) throws Exception
    {
        // Give the capture thread a moment to be waiting in libpcap.
        Thread.sleep(200);
        try (DatagramSocket socket = new DatagramSocket())
        {
            final byte[] payload = new byte[32];
            final DatagramPacket packet = new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port);
            for (int i = 0; i < n; i++)
            {
                payload[0] = (byte)i;
                socket.send(packet);
            }
        }
    }

    /** The slot for the end-of-input marker, claimed on the producer's thread (the ring has one producer). */
    private static long endSlot(final RingBuffer<FrameSlot> ring, final long left)
    {
        return left >= 0 ? left : ring.next();
    }
}
