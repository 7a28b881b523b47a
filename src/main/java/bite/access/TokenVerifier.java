package bite.access;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

/**
 * Checks a signed player token ({@code auth TOKEN}): a JWT (RFC 7519) signed with HS256 and the server's token
 * secret. Only {@code "alg":"HS256"} is accepted (never {@code none}, never another algorithm), the signature is
 * compared in constant time, {@code exp} is required, {@code nbf} is honoured, {@code sub} must be a valid
 * {@linkplain Names name} and {@code role} (a string) defaults to {@value #DEFAULT_ROLE}. Immutable and stateless:
 * safe on every connection's reader at once.
 */
public final class TokenVerifier {

    /** A longer word is not looked at: real tokens are a few hundred characters. */
    public static final int MAX_TOKEN_CHARS = 4096;
    public static final String DEFAULT_ROLE = "player";
    /** RFC 7518 section 3.2: an HS256 key must be at least as long as the hash. */
    public static final int MIN_SECRET_BYTES = 32;

    /** What {@link #verify} found. */
    public sealed interface Result {
        /** A valid token for {@code user} with {@code role}, valid until {@code expiresAt} (seconds since 1970). */
        record Accepted(String user, String role, long expiresAt) implements Result {}

        /** Not a valid token; {@code reason} is for the log (the client only gets {@code ERR invalid password}). */
        record Rejected(String reason) implements Result {}
    }

    private final SecretKeySpec key;
    private final Clock clock;

    /** @throws IllegalArgumentException when the secret is shorter than {@value #MIN_SECRET_BYTES} bytes */
    public TokenVerifier(byte[] secret, Clock clock) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("token secret shorter than " + MIN_SECRET_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.clock = clock;
    }

    /**
     * PROTOCOL.md: a word is a token when it has a token's shape, three base64url parts joined by two dots (each
     * part non-empty, no padding); otherwise it is a password.
     */
    public static boolean looksLikeToken(String word) {
        if (word.length() > MAX_TOKEN_CHARS) return false;
        int dots = 0;
        char prev = '.';
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '.') {
                if (prev == '.' || ++dots > 2) return false;
            } else if (!isBase64Url(c)) {
                return false;
            }
            prev = c;
        }
        return dots == 2 && prev != '.';
    }

    public Result verify(String token) {
        if (token.length() > MAX_TOKEN_CHARS) return rejected("token longer than " + MAX_TOKEN_CHARS + " characters");
        if (!looksLikeToken(token)) return rejected("not three base64url parts joined by dots");
        int dot1 = token.indexOf('.');
        int dot2 = token.indexOf('.', dot1 + 1);
        try {
            Map<String, Object> header = ClaimsJson.parseObject(decode(token.substring(0, dot1), "header"));
            if (!"HS256".equals(header.get("alg"))) return rejected("alg is not HS256");
            if (header.containsKey("crit")) return rejected("crit header not supported");

            // compared as text: base64url leaves spare bits in a last character, so decoding would let several
            // spellings of one signature pass; the canonical spelling is the only one accepted
            byte[] expected = Base64.getUrlEncoder().withoutPadding().encode(sign(token.substring(0, dot2)));
            byte[] signature = token.substring(dot2 + 1).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(expected, signature)) return rejected("bad signature");

            Map<String, Object> claims = ClaimsJson.parseObject(decode(token.substring(dot1 + 1, dot2), "payload"));
            return checkClaims(claims);
        } catch (ClaimsJson.Malformed e) {
            return rejected(e.getMessage());
        } catch (IllegalArgumentException e) {
            return rejected("malformed base64url");
        }
    }

    private Result checkClaims(Map<String, Object> claims) {
        BigDecimal now = BigDecimal.valueOf(clock.millis(), 3);
        Object exp = claims.get("exp");
        if (exp == null) return rejected("no exp claim");
        if (!(exp instanceof BigDecimal expires)) return rejected("exp is not a number");
        if (now.compareTo(expires) >= 0) return rejected("expired");
        Object nbf = claims.get("nbf");
        if (nbf != null) {
            if (!(nbf instanceof BigDecimal notBefore)) return rejected("nbf is not a number");
            if (now.compareTo(notBefore) < 0) return rejected("not yet valid");
        }
        Object sub = claims.get("sub");
        if (sub == null) return rejected("no sub claim");
        if (!(sub instanceof String user)) return rejected("sub is not a string");
        String why = Names.check(user);
        if (why != null) return rejected("invalid sub: " + why);
        Object role = claims.getOrDefault("role", DEFAULT_ROLE);
        if (!(role instanceof String roleName)) return rejected("role is not a string");
        why = Names.check(roleName);
        if (why != null) return rejected("invalid role: " + why);
        long expiresAt = expires.precision() - expires.scale() > 18 ? Long.MAX_VALUE : expires.longValue();
        return new Result.Accepted(user, roleName, expiresAt);
    }

    /** HMAC-SHA256 of {@code signingInput} (the token up to its second dot) with the secret. */
    byte[] sign(String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String decode(String part, String what) throws ClaimsJson.Malformed {
        byte[] bytes = Base64.getUrlDecoder().decode(part);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ClaimsJson.Malformed(what + " is not UTF-8");
        }
    }

    private static boolean isBase64Url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static Result rejected(String reason) {
        return new Result.Rejected(reason);
    }
}
