package io.linerate.aggregate.view;

/**
 * Names of TLS versions and alerts as records and verdicts write them: alert descriptions by code,
 * as the IANA TLS Alerts registry names them (RFC 8446 section 6, RFC 5246 section 7.2 for the older
 * ones).
 */
public final class TlsNames
{
    private static final String[] NAMES = new String[256];

    static
    {
        NAMES[0] = "close_notify";
        NAMES[10] = "unexpected_message";
        NAMES[20] = "bad_record_mac";
        NAMES[21] = "decryption_failed";
        NAMES[22] = "record_overflow";
        NAMES[30] = "decompression_failure";
        NAMES[40] = "handshake_failure";
        NAMES[41] = "no_certificate";
        NAMES[42] = "bad_certificate";
        NAMES[43] = "unsupported_certificate";
        NAMES[44] = "certificate_revoked";
        NAMES[45] = "certificate_expired";
        NAMES[46] = "certificate_unknown";
        NAMES[47] = "illegal_parameter";
        NAMES[48] = "unknown_ca";
        NAMES[49] = "access_denied";
        NAMES[50] = "decode_error";
        NAMES[51] = "decrypt_error";
        NAMES[60] = "export_restriction";
        NAMES[70] = "protocol_version";
        NAMES[71] = "insufficient_security";
        NAMES[80] = "internal_error";
        NAMES[86] = "inappropriate_fallback";
        NAMES[90] = "user_canceled";
        NAMES[100] = "no_renegotiation";
        NAMES[109] = "missing_extension";
        NAMES[110] = "unsupported_extension";
        NAMES[111] = "certificate_unobtainable";
        NAMES[112] = "unrecognized_name";
        NAMES[113] = "bad_certificate_status_response";
        NAMES[114] = "bad_certificate_hash_value";
        NAMES[115] = "unknown_psk_identity";
        NAMES[116] = "certificate_required";
        NAMES[120] = "no_application_protocol";
    }

    private TlsNames()
    {
    }

    /** The registry name of an alert description, {@code alert_N} for an unassigned one. */
    public static String alertName(final int description)
    {
        final String name = description >= 0 && description < NAMES.length ? NAMES[description] : null;
        return name != null ? name : "alert_" + description;
    }

    /**
     * SSL3.0, TLS1.0 to TLS1.3 by their wire values (RFC 8446 appendix D), TLS 1.3 drafts (0x7Fnn)
     * as TLS1.3-draftN, anything else as its hex value.
     */
    public static String versionName(final int version)
    {
        switch (version)
        {
            case 0x0300: return "SSL3.0";
            case 0x0301: return "TLS1.0";
            case 0x0302: return "TLS1.1";
            case 0x0303: return "TLS1.2";
            case 0x0304: return "TLS1.3";
            default:
                return (version & 0xFF00) == 0x7F00 ? "TLS1.3-draft" + (version & 0xFF) : String.format("0x%04x", version);
        }
    }
}
