package bite.access;

import bite.access.TokenVerifier.Result.Accepted;
import bite.access.TokenVerifier.Result.Rejected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TokenVerifierTest {

    static final long NOW = 1_800_000_000L;
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef-game".getBytes(StandardCharsets.US_ASCII);
    static final byte[] OTHER_SECRET = "0123456789abcdef0123456789abcdef-evil".getBytes(StandardCharsets.US_ASCII);
    static final String HS256 = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    private final TokenVerifier verifier =
            new TokenVerifier(SECRET, Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));

    static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String token(String header, String payload) {
        return signed(b64(header) + "." + b64(payload), SECRET, "HmacSHA256");
    }

    static String signed(String signingInput, byte[] secret, String algorithm) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret, algorithm));
            return signingInput + "." + b64(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String truncated(String token) {
        return token.substring(0, token.length() - 4);
    }

    /** The same signature bytes spelled differently: a 43-character part's last character carries 2 spare bits. */
    static String spareBitsChanged(String token) {
        char last = token.charAt(token.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char other = alphabet.charAt(alphabet.indexOf(last) ^ 1);
        String changed = token.substring(0, token.length() - 1) + other;
        String sig = token.substring(token.lastIndexOf('.') + 1);
        String changedSig = changed.substring(changed.lastIndexOf('.') + 1);
        assertThat(Base64.getUrlDecoder().decode(changedSig)).isEqualTo(Base64.getUrlDecoder().decode(sig));
        return changed;
    }

    static String claims(String more) {
        return "{\"sub\":\"alice\",\"exp\":" + (NOW + 60) + more + "}";
    }

    static Stream<Arguments> validTokens() {
        return Stream.of(
                arguments(token(HS256, claims("")), "alice", "player"),
                arguments(token(HS256, claims(",\"role\":\"server\"")), "alice", "server"),
                arguments(token("{\"alg\":\"HS256\"}", claims("")), "alice", "player"),
                arguments(token(HS256, claims(",\"nbf\":" + (NOW - 10))), "alice", "player"),
                arguments(token(HS256, claims(",\"nbf\":" + NOW)), "alice", "player"),
                arguments(token(HS256, "{\"sub\":\"alice\",\"exp\":" + NOW + ".5}"), "alice", "player"),
                arguments(token(HS256, "{\"sub\":\"alice\",\"exp\":1.9e9}"), "alice", "player"),
                arguments(token(HS256, "{ \"exp\" : " + (NOW + 1) + " ,\n \"sub\" : \"\\u0061lice\" }"), "alice",
                        "player"),
                arguments(token(HS256, "{\"sub\":\"jöns\",\"exp\":" + (NOW + 1) + "}"), "jöns", "player"),
                arguments(token(HS256, claims(",\"iat\":1,\"aud\":[\"a\",{\"b\":[null,true]}],\"x\":{\"y\":-0.5e-3}")),
                        "alice", "player"),
                // a user named * is a valid name: RulesTest shows it gains nothing
                arguments(token(HS256, "{\"sub\":\"*\",\"exp\":" + (NOW + 1) + "}"), "*", "player"));
    }

    @ParameterizedTest
    @MethodSource("validTokens")
    void aValidTokenIsAccepted(String token, String user, String role) {
        assertThat(TokenVerifier.looksLikeToken(token)).isTrue();
        assertThat(verifier.verify(token)).isInstanceOfSatisfying(Accepted.class, a -> {
            assertThat(a.user()).isEqualTo(user);
            assertThat(a.role()).isEqualTo(role);
        });
    }

    static Stream<Arguments> invalidTokens() {
        String payload = b64(claims(""));
        return Stream.of(
                arguments("bad signature", signed(b64(HS256) + "." + payload, OTHER_SECRET, "HmacSHA256"),
                        "bad signature"),
                arguments("signature of other claims", token(HS256, claims("")).replace(payload,
                        b64(claims(",\"role\":\"server\""))), "bad signature"),
                arguments("truncated signature", truncated(token(HS256, claims(""))), "bad signature"),
                arguments("signature's spare bits changed", spareBitsChanged(token(HS256, claims(""))),
                        "bad signature"),
                arguments("alg none, empty signature", b64("{\"alg\":\"none\"}") + "." + payload + ".",
                        "not three base64url parts joined by dots"),
                arguments("alg none, some signature", signed(b64("{\"alg\":\"none\"}") + "." + payload, SECRET,
                        "HmacSHA256"), "alg is not HS256"),
                arguments("alg HS512", signed(b64("{\"alg\":\"HS512\"}") + "." + payload, SECRET, "HmacSHA512"),
                        "alg is not HS256"),
                arguments("alg in lower case", token("{\"alg\":\"hs256\"}", claims("")), "alg is not HS256"),
                arguments("alg not a string", token("{\"alg\":[\"HS256\"]}", claims("")), "alg is not HS256"),
                arguments("no alg", token("{\"typ\":\"JWT\"}", claims("")), "alg is not HS256"),
                arguments("crit", token("{\"alg\":\"HS256\",\"crit\":[\"x\"]}", claims("")),
                        "crit header not supported"),
                arguments("expired", token(HS256, "{\"sub\":\"alice\",\"exp\":" + NOW + "}"), "expired"),
                arguments("expired long ago", token(HS256, "{\"sub\":\"alice\",\"exp\":1}"), "expired"),
                arguments("not yet valid", token(HS256, claims(",\"nbf\":" + (NOW + 1))), "not yet valid"),
                arguments("no exp", token(HS256, "{\"sub\":\"alice\"}"), "no exp claim"),
                arguments("exp a string", token(HS256, "{\"sub\":\"alice\",\"exp\":\"" + (NOW + 60) + "\"}"),
                        "exp is not a number"),
                arguments("exp null", token(HS256, "{\"sub\":\"alice\",\"exp\":null}"), "exp is not a number"),
                arguments("nbf a string", token(HS256, claims(",\"nbf\":\"0\"")), "nbf is not a number"),
                arguments("no sub", token(HS256, "{\"exp\":" + (NOW + 60) + "}"), "no sub claim"),
                arguments("sub a number", token(HS256, "{\"sub\":7,\"exp\":" + (NOW + 60) + "}"),
                        "sub is not a string"),
                arguments("sub with a dot", token(HS256, "{\"sub\":\"room.7\",\"exp\":" + (NOW + 60) + "}"),
                        "invalid sub: name contains a dot"),
                arguments("sub empty", token(HS256, "{\"sub\":\"\",\"exp\":" + (NOW + 60) + "}"),
                        "invalid sub: empty name"),
                arguments("sub with a newline", token(HS256, "{\"sub\":\"a\\nb\",\"exp\":" + (NOW + 60) + "}"),
                        "invalid sub: name contains a control character"),
                arguments("role a number", token(HS256, claims(",\"role\":1")), "role is not a string"),
                arguments("role with a dot", token(HS256, claims(",\"role\":\"a.b\"")),
                        "invalid role: name contains a dot"),
                arguments("sub twice", token(HS256, "{\"sub\":\"bob\",\"sub\":\"alice\",\"exp\":" + (NOW + 60) + "}"),
                        "member 'sub' twice"),
                arguments("malformed base64", token(HS256, claims("")).replace(b64(HS256), b64(HS256) + "A"),
                        "malformed base64url"),
                arguments("not base64url", b64(HS256) + "." + payload + ".ab+/", "not three base64url parts joined"
                        + " by dots"),
                arguments("padding", token(HS256, claims("")) + "=", "not three base64url parts joined by dots"),
                arguments("extra dots", token(HS256, claims("")) + ".abc", "not three base64url parts joined by dots"),
                arguments("two dots together", b64(HS256) + ".." + payload, "not three base64url parts joined by dots"),
                arguments("header not JSON", token("HS256", claims("")), "not a JSON object"),
                arguments("claims not an object", token(HS256, "[1]"), "not a JSON object"),
                arguments("text after the claims", token(HS256, claims("") + "x"), "text after the JSON object"),
                arguments("unterminated", token(HS256, "{\"sub\":\"alice"), "JSON ends too soon"),
                arguments("deep nesting", token(HS256, claims(",\"x\":" + "[".repeat(50) + "]".repeat(50))),
                        "JSON nested too deeply"),
                arguments("huge exponent", token(HS256, "{\"sub\":\"alice\",\"exp\":1e999999999}"),
                        "JSON number's exponent too large"),
                arguments("payload not UTF-8", signed(b64(HS256) + "." + b64(new byte[] {'{', (byte) 0xFF, '}'}),
                        SECRET, "HmacSHA256"), "payload is not UTF-8"),
                arguments("too long", token(HS256, claims(",\"pad\":\"" + "x".repeat(4000) + "\"")),
                        "token longer than 4096 characters"),
                arguments("empty", "", "not three base64url parts joined by dots"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTokens")
    void anInvalidTokenIsRejectedWithItsReason(String what, String token, String reason) {
        assertThat(verifier.verify(token)).isEqualTo(new Rejected(reason));
    }

    @Test
    void aTokenFromPythonsStandardLibraryIsAccepted() throws Exception {
        // the docs/ACCESS.md example, with the secret, name and clock passed in
        String token = Python.run("""
                import base64, hashlib, hmac, json, sys
                b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
                head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
                body = b64(json.dumps({"sub": sys.argv[2], "role": "player", "exp": int(sys.argv[3]) + 3600}).encode())
                sig = b64(hmac.new(sys.argv[1].encode(), f"{head}.{body}".encode(), hashlib.sha256).digest())
                print(f"{head}.{body}.{sig}")
                """, new String(SECRET, StandardCharsets.US_ASCII), "player-42", Long.toString(NOW));
        assertThat(TokenVerifier.looksLikeToken(token)).isTrue();
        assertThat(verifier.verify(token)).isEqualTo(new Accepted("player-42", "player", NOW + 3600));
        TokenVerifier later = new TokenVerifier(SECRET, Clock.fixed(Instant.ofEpochSecond(NOW + 3600), ZoneOffset.UTC));
        assertThat(later.verify(token)).isEqualTo(new Rejected("expired"));
    }

    @Test
    void looksLikeTokenIsThreeNonEmptyBase64UrlPartsJoinedByTwoDots() {
        assertThat(TokenVerifier.looksLikeToken("a.b.c")).isTrue();
        assertThat(TokenVerifier.looksLikeToken("eyJ-_0.x9.Z")).isTrue();
        assertThat(TokenVerifier.looksLikeToken("hunter2")).isFalse();
        assertThat(TokenVerifier.looksLikeToken("a.b")).isFalse();
        assertThat(TokenVerifier.looksLikeToken("a.b.c.d")).isFalse();
        assertThat(TokenVerifier.looksLikeToken("a..c")).isFalse();
        assertThat(TokenVerifier.looksLikeToken(".b.c")).isFalse();
        assertThat(TokenVerifier.looksLikeToken("a.b.")).isFalse();
        assertThat(TokenVerifier.looksLikeToken("a.b.c=")).isFalse();
        assertThat(TokenVerifier.looksLikeToken("a.b c.d")).isFalse();
        assertThat(TokenVerifier.looksLikeToken("a.b.c".repeat(1000))).isFalse();
    }

    @Test
    void hostileInputIsRejectedNeverThrown() {
        Random random = new Random(15);
        String alphabet = "{}[]\":,.-_+eE0123456789abcAZ\\u ntrfl\u0000\uD800";
        String valid = token(HS256, claims(""));
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(60);
            for (int k = 0; k < n; k++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            String junk = sb.toString();
            assertThat(verifier.verify(junk)).isInstanceOf(Rejected.class);
            // junk as the claims, correctly signed: reaches the JSON parser
            assertThat(verifier.verify(token(HS256, junk))).isInstanceOf(Rejected.class);
            // one character of a valid token changed
            char[] chars = valid.toCharArray();
            chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            String mutated = new String(chars);
            if (!mutated.equals(valid)) assertThat(verifier.verify(mutated)).isInstanceOf(Rejected.class);
        }
    }

    @Test
    void aShortSecretIsRefused() {
        assertThatThrownBy(() -> new TokenVerifier(new byte[31], Clock.systemUTC()))
                .hasMessage("token secret shorter than 32 bytes");
    }
}
