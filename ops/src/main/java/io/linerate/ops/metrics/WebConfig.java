package io.linerate.ops.metrics;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --metrics-web-config FILE}: TLS and basic authentication of the metrics endpoint, from a file
 * in the format of the Prometheus exporter toolkit's {@code --web.config.file}, so one file serves
 * linerate and the node exporter beside it:
 *
 * <pre>
 * tls_server_config:
 *   cert_file: server.crt      # PEM: the certificate, then any intermediates
 *   key_file: server.key       # PEM, PKCS#8 ("BEGIN PRIVATE KEY"; openssl pkcs8 -topk8 converts others)
 * basic_auth_users:
 *   prometheus: $2y$10$...     # bcrypt hashes (htpasswd -nBC 10, or any bcrypt tool: $2a$, $2b$, $2y$)
 * </pre>
 *
 * Either section may be left out: without {@code tls_server_config} the endpoint is plain HTTP, without
 * {@code basic_auth_users} anyone who reaches it may scrape. Relative file names are taken from the
 * config file's directory, as the toolkit does. The toolkit's other settings (client certificates,
 * TLS versions and ciphers, HTTP headers) are refused by name rather than ignored, so a file that asks
 * for more protection than linerate gives never passes silently.
 *
 * <p>The file is YAML; this reads the part of YAML such a file uses: comments, two levels of
 * {@code key: value} by indentation, plain, single- and double-quoted scalars.
 */
public final class WebConfig
{
    private static final String TLS = "tls_server_config";
    private static final String USERS = "basic_auth_users";
    private static final String CERT_FILE = "cert_file";
    private static final String KEY_FILE = "key_file";
    private static final Pattern KEY_VALUE = Pattern.compile("([A-Za-z0-9_.-]+):(?:\\s+(.*))?");
    private static final Pattern PEM = Pattern.compile(
        "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    private final Path file;
    private final KeyStore keyStore;
    private final Map<String, String> users;

    private WebConfig(final Path file, final KeyStore keyStore, final Map<String, String> users)
    {
        this.file = file;
        this.keyStore = keyStore;
        this.users = users;
    }

    /** The file it was read from. */
    public Path file()
    {
        return file;
    }

    /** The certificate chain and key to serve TLS with (entry password {@link #KEY_PASSWORD}); null for plain HTTP. */
    public KeyStore keyStore()
    {
        return keyStore;
    }

    /** Password of {@link #keyStore()}'s entry (the store lives in memory only). */
    static final char[] KEY_PASSWORD = new char[0];

    /** User names and their bcrypt hashes; empty when anyone may scrape. */
    public Map<String, String> users()
    {
        return users;
    }

    /**
     * Reads and checks {@code file}: its syntax, its settings, the certificate and key it names, the
     * form of every hash.
     *
     * @throws IOException naming the file, the line where there is one, and what is wrong
     */
    public static WebConfig read(final Path file) throws IOException
    {
        final Map<String, Map<String, String>> sections = parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
        for (final String section : sections.keySet())
        {
            if (!section.equals(TLS) && !section.equals(USERS))
            {
                throw new IOException(file + ": " + section + " is not supported (linerate reads " + TLS + " and " +
                    USERS + ")");
            }
        }
        KeyStore keyStore = null;
        final Map<String, String> tls = sections.get(TLS);
        if (tls != null)
        {
            for (final String key : tls.keySet())
            {
                if (!key.equals(CERT_FILE) && !key.equals(KEY_FILE))
                {
                    throw new IOException(file + ": " + TLS + "." + key + " is not supported (linerate reads " +
                        CERT_FILE + " and " + KEY_FILE + ")");
                }
            }
            final String cert = tls.get(CERT_FILE);
            final String key = tls.get(KEY_FILE);
            if (cert == null || key == null)
            {
                throw new IOException(file + ": " + TLS + " needs both " + CERT_FILE + " and " + KEY_FILE);
            }
            keyStore = keyStore(file, resolve(file, cert), resolve(file, key));
        }
        final Map<String, String> users = sections.getOrDefault(USERS, Map.of());
        for (final Map.Entry<String, String> user : users.entrySet())
        {
            if (!Bcrypt.isHash(user.getValue()))
            {
                // The hash itself is not printed: it is a secret of sorts too.
                throw new IOException(file + ": " + USERS + "." + user.getKey() +
                    " is not a bcrypt hash ($2a$, $2b$ or $2y$, cost, 53 characters of salt and hash)");
            }
        }
        return new WebConfig(file, keyStore, Collections.unmodifiableMap(new LinkedHashMap<>(users)));
    }

    private static Path resolve(final Path file, final String name)
    {
        final Path path = Path.of(name);
        final Path dir = file.toAbsolutePath().getParent();
        return path.isAbsolute() || dir == null ? path : dir.resolve(path);
    }

    /** The two levels of {@code key: value} of the file, in order. */
    private static Map<String, Map<String, String>> parse(final Path file, final List<String> lines) throws IOException
    {
        final Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> section = null;
        int sectionIndent = -1;
        for (int n = 1; n <= lines.size(); n++)
        {
            final String line = stripComment(lines.get(n - 1));
            if (line.isBlank() || line.strip().equals("---"))
            {
                continue;
            }
            if (line.indexOf('\t') >= 0)
            {
                throw new IOException(file + ":" + n + ": a tab (YAML indents with spaces)");
            }
            final int indent = line.length() - line.stripLeading().length();
            final Matcher m = KEY_VALUE.matcher(line.strip());
            if (!m.matches())
            {
                throw new IOException(file + ":" + n + ": expected key: value");
            }
            final String key = m.group(1);
            final String value = m.group(2) == null ? null : scalar(file, n, m.group(2).strip());
            if (indent == 0)
            {
                if (value != null && !value.isEmpty() && !value.equals("{}"))
                {
                    throw new IOException(file + ":" + n + ": " + key + " takes indented settings, not a value");
                }
                if (sections.containsKey(key))
                {
                    throw new IOException(file + ":" + n + ": " + key + " given twice");
                }
                section = new LinkedHashMap<>();
                sections.put(key, section);
                sectionIndent = -1;
                continue;
            }
            if (section == null || sectionIndent >= 0 && indent != sectionIndent)
            {
                throw new IOException(file + ":" + n + ": unexpected indentation");
            }
            sectionIndent = indent;
            if (value == null)
            {
                throw new IOException(file + ":" + n + ": " + key + " has no value (nested settings are not " +
                    "supported)");
            }
            if (section.put(key, value) != null)
            {
                throw new IOException(file + ":" + n + ": " + key + " given twice");
            }
        }
        return sections;
    }

    /** The line without a comment: {@code #} at its start or after a space, outside quotes. */
    private static String stripComment(final String line)
    {
        char quote = 0;
        for (int i = 0; i < line.length(); i++)
        {
            final char c = line.charAt(i);
            if (quote != 0)
            {
                if (c == quote)
                {
                    quote = 0;
                }
            }
            else if (c == '\'' || c == '"')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1))))
            {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String scalar(final Path file, final int n, final String text) throws IOException
    {
        if (text.length() >= 2 && text.startsWith("'") && text.endsWith("'"))
        {
            return text.substring(1, text.length() - 1).replace("''", "'");
        }
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\""))
        {
            final String inner = text.substring(1, text.length() - 1);
            if (inner.indexOf('\\') >= 0)
            {
                throw new IOException(file + ":" + n + ": escapes in double-quoted values are not supported");
            }
            return inner;
        }
        if (text.startsWith("'") || text.startsWith("\"") || text.startsWith("[") || text.startsWith("&") ||
            text.startsWith("*") || text.startsWith("|") || text.startsWith(">") || text.startsWith("!"))
        {
            throw new IOException(file + ":" + n + ": only plain and quoted values are supported");
        }
        return text;
    }

    /** An in-memory key store of the PEM certificate chain and PKCS#8 key. */
    private static KeyStore keyStore(final Path file, final Path certFile, final Path keyFile) throws IOException
    {
        final List<Certificate> chain = new ArrayList<>();
        final List<byte[]> certificates;
        final List<byte[]> keys;
        try
        {
            certificates = pem(certFile, "CERTIFICATE");
            keys = pem(keyFile, "PRIVATE KEY");
        }
        catch (final IOException ex)
        {
            throw new IOException(file + ": " + ex.getMessage(), ex);
        }
        try
        {
            final CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (final byte[] der : certificates)
            {
                chain.add(factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException(file + ": " + certFile + ": not a PEM certificate: " + ex.getMessage(), ex);
        }
        if (chain.isEmpty())
        {
            throw new IOException(file + ": " + certFile + ": no -----BEGIN CERTIFICATE----- in it");
        }
        if (keys.size() != 1)
        {
            throw new IOException(file + ": " + keyFile + ": expected one PKCS#8 key (-----BEGIN PRIVATE KEY-----; " +
                "openssl pkcs8 -topk8 -nocrypt converts an RSA or EC key)");
        }
        final PrivateKey key = privateKey(file, keyFile, keys.get(0));
        try
        {
            final KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("metrics", key, KEY_PASSWORD, chain.toArray(new Certificate[0]));
            return store;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException(file + ": the key in " + keyFile + " does not go with the certificate in " +
                certFile + ": " + ex.getMessage(), ex);
        }
    }

    private static PrivateKey privateKey(final Path file, final Path keyFile, final byte[] der) throws IOException
    {
        for (final String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"})
        {
            try
            {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            }
            catch (final GeneralSecurityException notThisOne)
            {
                // Try the next algorithm: the PKCS#8 envelope names it, the JDK wants to be told.
            }
        }
        throw new IOException(file + ": " + keyFile + ": not an RSA, EC or EdDSA PKCS#8 key");
    }

    /** The DER bytes of every PEM block of {@code type} in the file. */
    private static List<byte[]> pem(final Path path, final String type) throws IOException
    {
        final String text;
        try
        {
            text = Files.readString(path, StandardCharsets.US_ASCII);
        }
        catch (final NoSuchFileException ex)
        {
            throw new IOException("no such file " + path, ex);
        }
        final List<byte[]> blocks = new ArrayList<>();
        final Matcher m = PEM.matcher(text);
        while (m.find())
        {
            if (m.group(1).equals(type))
            {
                blocks.add(Base64.getMimeDecoder().decode(m.group(2)));
            }
        }
        return blocks;
    }
}
