package dev.aioops.examples.resp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where a Redis server is and who to be there: the address (TCP or a Unix domain socket), the ACL user and
 * password for {@code AUTH}, the database for {@code SELECT} and the name for {@code CLIENT SETNAME}, each sent
 * when the connection is made ({@link RedisClient#connect(dev.aioops.spi.AioOperations, RedisUri,
 * RedisClientConfig)}).
 *
 * @param address    the server's resolved TCP address or its {@link UnixDomainSocketAddress}
 * @param user       the ACL user, or null for the default user
 * @param password   the password, or null for no {@code AUTH}
 * @param database   the database to {@code SELECT}, 0 for the default (no {@code SELECT} is sent)
 * @param clientName the connection's name for {@code CLIENT SETNAME}, or null
 */
public record RedisUri(SocketAddress address, String user, String password, int database, String clientName) {

    /** Redis's port. */
    public static final int DEFAULT_PORT = 6379;

    /**
     * Checks the fields.
     *
     * @throws NullPointerException     if {@code address} is null
     * @throws IllegalArgumentException if the address is neither a resolved TCP address nor a Unix socket path, a
     *                                  user comes without a password, the database is negative, or the name
     *                                  contains a space or a control character
     */
    public RedisUri {
        Objects.requireNonNull(address, "address");
        if (address instanceof InetSocketAddress inet ? inet.isUnresolved()
                : !(address instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("a Redis address is a resolved InetSocketAddress or a"
                    + " UnixDomainSocketAddress, not " + address);
        }
        if (user != null && password == null) {
            throw new IllegalArgumentException("the ACL user " + user + " needs a password");
        }
        if (database < 0) {
            throw new IllegalArgumentException("the database is a number >= 0, not " + database);
        }
        if (clientName != null && !clientName.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw new IllegalArgumentException("a client name has no spaces or control characters: " + clientName);
        }
    }

    /**
     * The default user, no password, database 0, no name.
     *
     * @param address the server's address
     * @return the URI
     */
    public static RedisUri of(SocketAddress address) {
        return new RedisUri(address, null, null, 0, null);
    }

    /**
     * Parses {@code redis://[[user]:password@]host[:port][/database][?name=clientName]} or
     * {@code unix://[[user]:password@]/path/to/socket[?db=database][&name=clientName]}. User and password may be
     * percent-encoded. The host is resolved on the calling thread ({@link InetAddress#getByName}), which may wait
     * for DNS: parse off the loop, or give an address literal.
     *
     * @param text the URI
     * @return the parsed URI
     * @throws IllegalArgumentException if it is not such a URI, or the host cannot be resolved
     */
    public static RedisUri parse(String text) {
        Objects.requireNonNull(text, "text");
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI: " + text, e);
        }
        String scheme = uri.getScheme();
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("user info without a password (user:password@ or :password@): "
                        + text);
            }
            user = colon == 0 ? null : decode(userInfo.substring(0, colon));
            password = decode(userInfo.substring(colon + 1));
        }
        String database = query(uri, "db");
        String name = query(uri, "name");
        if ("redis".equalsIgnoreCase(scheme)) {
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host in " + text);
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            if (path.length() > 1) {
                database = path.substring(1);
            }
            try {
                InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(uri.getHost()),
                        uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort());
                return new RedisUri(address, user, password, number(database, text), name);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("cannot resolve " + uri.getHost(), e);
            }
        }
        if ("unix".equalsIgnoreCase(scheme)) {
            if (uri.getPath() == null || uri.getPath().isEmpty()) {
                throw new IllegalArgumentException("no socket path in " + text);
            }
            return new RedisUri(UnixDomainSocketAddress.of(uri.getPath()), user, password, number(database, text),
                    name);
        }
        throw new IllegalArgumentException("the scheme is redis:// or unix://, not " + text);
    }

    private static String query(URI uri, String key) {
        String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(key)) {
                return decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    private static int number(String database, String text) {
        if (database == null) {
            return 0;
        }
        try {
            return Integer.parseInt(database);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the database is a number, not '" + database + "' in " + text, e);
        }
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * The URI as text, with the password hidden.
     *
     * @return for logs
     */
    @Override
    public String toString() {
        String auth = password == null ? "" : (user == null ? "" : user) + ":***@";
        String name = clientName == null ? "" : "?name=" + clientName;
        return address instanceof UnixDomainSocketAddress unix
                ? "unix://" + auth + unix.getPath() + "?db=" + database + (clientName == null ? ""
                : "&name=" + clientName)
                : "redis://" + auth + ((InetSocketAddress) address).getAddress().getHostAddress() + ":"
                + ((InetSocketAddress) address).getPort() + "/" + database + name;
    }
}
