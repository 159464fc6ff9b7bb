package io.linerate.ops.metrics;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.util.regex.Pattern;

/**
 * bcrypt password hashes as the Prometheus exporter toolkit's {@code basic_auth_users} holds them
 * ({@code $2a$}, {@code $2b$}, {@code $2y$}), checked with Bouncy Castle's implementation: the JDK has
 * none, and a password check is no place for a home-made Blowfish.
 */
final class Bcrypt
{
    /** Version, cost, then 22 characters of salt and 31 of hash in bcrypt's base64 alphabet. */
    private static final Pattern HASH = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    private Bcrypt()
    {
    }

    static boolean isHash(final String text)
    {
        return HASH.matcher(text).matches();
    }

    /** True when {@code password} hashes to {@code hash} (a valid {@link #isHash hash}). */
    static boolean matches(final String hash, final String password)
    {
        return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
    }

    /** A hash of {@code password} at {@code cost} (tests, and a dummy to check unknown users against). */
    static String hash(final String password, final byte[] salt, final int cost)
    {
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, cost);
    }
}
