package bite.net;

import bite.access.TokenVerifier;
import bite.access.Users;

import java.util.Arrays;

/**
 * {@code auth} with a users file ({@code --users}), signed tokens ({@code --token-secret}) and the server password
 * ({@code --password}), any of them optional. Which one a request means (PROTOCOL.md, "Users and access rules"; the
 * rule for several words is docs/PROTOCOL-NOTES.md's):
 * <ul>
 *   <li>one word with a token's shape, when a token secret is set: a token, and only a token;</li>
 *   <li>two words or more, when a users file is set: first {@code USER PASSWORD} (the first word, then the rest
 *       after the blanks that follow it), and when that fails the whole text as the server password (which may
 *       hold spaces: {@code auth open sesame});</li>
 *   <li>anything else: the server password.</li>
 * </ul>
 * Every refusal is {@code invalid password} to the client; why goes to the log only. Immutable: shared by every
 * connection's reader.
 */
final class AccessAuthenticator implements Authenticator {

    private static final String INVALID = "invalid password";

    private final Password password;
    private final Users users;
    private final TokenVerifier tokens;

    /** Each of {@code password}, {@code users} and {@code tokens} may be null (not configured). */
    AccessAuthenticator(String password, Users users, TokenVerifier tokens) {
        this.password = password == null ? null : new Password(password);
        this.users = users;
        this.tokens = tokens;
    }

    @Override
    public boolean required() {
        return password != null || users != null || tokens != null;
    }

    @Override
    public Result check(String credentials) {
        if (!required()) return new Result.Refused("no password is set");
        if (tokens != null && TokenVerifier.looksLikeToken(credentials)) {
            return switch (tokens.verify(credentials)) {
                case TokenVerifier.Result.Accepted(String user, String role, long expiresAt) ->
                        new Result.Accepted(user, role);
                case TokenVerifier.Result.Rejected(String why) -> new Result.Refused(INVALID, "token refused: " + why);
            };
        }
        int blank = firstBlank(credentials);
        if (users != null && blank > 0) {
            String name = credentials.substring(0, blank);
            char[] secret = credentials.substring(skipBlanks(credentials, blank)).toCharArray();
            try {
                String role = users.authenticate(name, secret);
                if (role != null) return new Result.Accepted(name, role);
            } finally {
                Arrays.fill(secret, '\0');
            }
        }
        if (password != null && password.matches(credentials)) return ACCEPTED;
        return new Result.Refused(INVALID, users != null && blank > 0 ? "wrong user name or password"
                : "wrong password");
    }

    private static int firstBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') return i;
        }
        return -1;
    }

    private static int skipBlanks(String s, int from) {
        int i = from;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
        return i;
    }

    @Override
    public String toString() {
        return "AccessAuthenticator[password=" + (password != null) + ", users=" + (users != null) + ", tokens="
                + (tokens != null) + "]"; // never a secret
    }
}
