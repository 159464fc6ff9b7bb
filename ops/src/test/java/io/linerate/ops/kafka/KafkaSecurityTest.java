package io.linerate.ops.kafka;

import io.linerate.ops.Json;
import io.linerate.ops.Main;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --out kafka:} to a broker that only authenticated clients over TLS can use: a real Kafka
 * broker started by {@code ops/kafka/broker.sh} with its client listener on SASL_SSL and SCRAM-SHA-512,
 * its key and certificate made here with the JDK's keytool. {@code --kafka-config} carries the client
 * side. Records arrive; a wrong password is one clear line and the records wait in the spill, and the
 * next run with the right password delivers them.
 */
@Tag("slow")
class KafkaSecurityTest
{
    private static final Path CAPTURE = Path.of("..", "samples", "loopback-http.pcap");
    /** Connections in the capture: each has exactly one final record. */
    private static final int CONNECTIONS = 7;
    private static final String USER = "linerate";
    private static final String STORE_PASSWORD = secret();
    private static final String BROKER_PASSWORD = secret();
    private static final String USER_PASSWORD = secret();

    @TempDir
    static Path brokerDir;
    static Path brokerData;
    static Path truststore;
    static int port;
    static Thread stopAtExit;

    @TempDir
    Path work;

    @BeforeAll
    static void startSecureBroker() throws Exception
    {
        final Path keys = Files.createDirectories(brokerDir.resolve("keys"));
        final Path keystore = keys.resolve("broker.p12");
        final Path certificate = keys.resolve("broker.crt");
        truststore = keys.resolve("truststore.p12");
        // A self-signed certificate for the address the clients connect to (host name verification is on).
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
            "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
            "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(),
            "-storepass", STORE_PASSWORD, "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
            "-storetype", "PKCS12", "-keystore", truststore.toString(), "-storepass", STORE_PASSWORD);

        brokerData = brokerDir.resolve("broker");
        port = ScriptedBroker.freePortPair();
        // A test JVM that ends without @AfterAll (a timeout's interrupt, a failed start) still stops it.
        stopAtExit = new Thread(() -> runQuietly("kill"));
        Runtime.getRuntime().addShutdownHook(stopAtExit);
        broker("start", Map.of(
            "KAFKA_SSL_KEYSTORE", keystore.toAbsolutePath().toString(),
            "KAFKA_SSL_TRUSTSTORE", truststore.toAbsolutePath().toString(),
            "KAFKA_SSL_PASSWORD", STORE_PASSWORD,
            "KAFKA_SCRAM_USERS", "broker:" + BROKER_PASSWORD + " " + USER + ":" + USER_PASSWORD));
    }

    @AfterAll
    static void stopBroker() throws Exception
    {
        broker("stop", Map.of());
        Runtime.getRuntime().removeShutdownHook(stopAtExit);
    }

    @Test
    void recordsArriveOverTlsWithScram() throws Exception
    {
        final String topic = "flows-secure";
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, replay(topic, work.resolve("spill"), clientConfig(USER_PASSWORD), err), err.toString());
        assertTrue(err.toString().contains("acknowledged " + CONNECTIONS + ", backlog 0 (0 bytes), send errors 0"),
            err.toString());
        assertOneRecordPerConnection(consumeAll(topic, CONNECTIONS), 1);
    }

    @Test
    void aWrongPasswordIsOneClearLineAndTheRecordsWaitUntilTheConfigurationIsFixed() throws Exception
    {
        final String topic = "flows-after-fix";
        final Path spill = work.resolve("spill");
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, replay(topic, spill, clientConfig("not-" + USER_PASSWORD), err, "--kafka-drain-timeout", "8"),
            err.toString());
        final String log = err.toString();
        final List<String> authentication = log.lines().filter(l -> l.contains("uthentication")).toList();
        assertEquals(1, authentication.size(), "one line about the failed authentication: " + log);
        // Kafka's own words, which say what to fix, and linerate's, which say what became of the records.
        assertTrue(authentication.get(0).contains("SaslAuthenticationException: Authentication failed") &&
            authentication.get(0).contains("invalid credentials with SASL mechanism SCRAM-SHA-512") &&
            authentication.get(0).contains("records wait in the spill; retrying"), log);
        assertTrue(!log.contains(USER_PASSWORD), "the password is not printed: " + log);
        final Matcher counters = Pattern.compile("acknowledged 0, backlog " + CONNECTIONS +
            " \\((\\d+) bytes\\), send errors (\\d+)").matcher(log);
        assertTrue(counters.find(), log);
        assertTrue(Long.parseLong(counters.group(2)) >= 1, "counted as a send error: " + log);

        // The configuration fixed: the next run sends what waited, then its own records.
        final ByteArrayOutputStream second = new ByteArrayOutputStream();
        assertEquals(0, replay(topic, spill, clientConfig(USER_PASSWORD), second), second.toString());
        assertTrue(second.toString().contains(CONNECTIONS + " records left in the spill"), second.toString());
        assertTrue(second.toString().contains("acknowledged " + 2 * CONNECTIONS + ", backlog 0 (0 bytes)"),
            second.toString());
        assertOneRecordPerConnection(consumeAll(topic, 2 * CONNECTIONS), 2);
    }

    /** The client side of the broker's listener, as a user writes it for {@code --kafka-config}. */
    private Path clientConfig(final String password) throws IOException
    {
        final Path file = Files.createTempFile(work, "client", ".properties");
        Files.writeString(file, String.join("\n", clientProperties(password).entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).toList()) + "\n");
        return file;
    }

    private static Properties clientProperties(final String password)
    {
        final Properties p = new Properties();
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" +
            USER + "\" password=\"" + password + "\";");
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", truststore.toAbsolutePath().toString());
        p.put("ssl.truststore.password", STORE_PASSWORD);
        return p;
    }

    private static int replay(final String topic, final Path spill, final Path config, final ByteArrayOutputStream err,
        final String... extra)
    {
        final List<String> args = new ArrayList<>(List.of("replay", CAPTURE.toString(),
            "--out", "kafka:127.0.0.1:" + port + "/" + topic, "--spill", spill.toString(), "--sensor", "test",
            "--kafka-config", config.toString()));
        args.addAll(List.of(extra));
        final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        return Main.run(args, new PrintStream(new ByteArrayOutputStream()), errStream, false);
    }

    /** Every connection's final record, {@code copies} times each (a record sent by two runs), nothing else. */
    private static void assertOneRecordPerConnection(final List<ConsumerRecord<byte[], byte[]>> records,
        final int copies)
    {
        assertEquals(copies * CONNECTIONS, records.size());
        final Map<String, Long> perConnection = records.stream()
            .map(r -> new String(r.key(), StandardCharsets.UTF_8))
            .collect(java.util.stream.Collectors.groupingBy(k -> k, java.util.stream.Collectors.counting()));
        assertEquals(CONNECTIONS, perConnection.size(), perConnection.toString());
        perConnection.values().forEach(n -> assertEquals(copies, n));
        for (final ConsumerRecord<byte[], byte[]> r : records)
        {
            final Map<String, Object> record = Json.object(new String(r.value(), StandardCharsets.UTF_8));
            assertEquals("final", record.get("record_type"));
        }
    }

    /** Reads the topic as an authenticated consumer over TLS. */
    private static List<ConsumerRecord<byte[], byte[]>> consumeAll(final String topic, final int expected)
    {
        final Properties p = clientProperties(USER_PASSWORD);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        return ScriptedBroker.consumeAll(p, topic, expected);
    }

    private static String secret()
    {
        final byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void keytool(final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output;
        try (InputStream in = p.getInputStream())
        {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, p.exitValue(), "keytool " + String.join(" ", args) + ": " + output);
    }

    private static void broker(final String command, final Map<String, String> environment)
        throws IOException, InterruptedException
    {
        ScriptedBroker.script(command, brokerData, port, environment);
    }

    private static void runQuietly(final String command)
    {
        try
        {
            broker(command, Map.of());
        }
        catch (final IOException | InterruptedException | AssertionError ignored)
        {
            // At exit: nothing more can be done about a broker that will not stop.
        }
    }
}
