package dev.jhtrace.proc;

import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The socket tables of {@code /proc/PID/net} and how to parse each into {@link SocketInfo}s by inode.
 * Lines that do not parse are skipped: the formats are stable, but a kernel may append columns.
 */
enum NetTable {
    TCP("tcp", "INET", "TCP"), TCP6("tcp6", "INET6", "TCP"),
    UDP("udp", "INET", "UDP"), UDP6("udp6", "INET6", "UDP"),
    UNIX("unix", "UNIX", null),
    NETLINK("netlink", "NETLINK", null),
    RAW("raw", "INET", "RAW"), RAW6("raw6", "INET6", "RAW"),
    UDPLITE("udplite", "INET", "UDPLITE"), UDPLITE6("udplite6", "INET6", "UDPLITE"),
    ICMP("icmp", "INET", "ICMP"), ICMP6("icmp6", "INET6", "ICMP"),
    PACKET("packet", "PACKET", null);

    /** The order tables are searched in: the common ones first, so most listings read few tables. */
    static final List<NetTable> SEARCH_ORDER = List.of(values());

    private static final String[] TCP_STATES = {null, "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
            "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"};
    private static final String[] UNIX_STATES = {null, "UNCONNECTED", "CONNECTING", "CONNECTED", "DISCONNECTING"};
    private static final String[] NETLINK_PROTOCOLS = {"ROUTE", "UNUSED", "USERSOCK", "FIREWALL", "SOCK_DIAG", "NFLOG",
            "XFRM", "SELINUX", "ISCSI", "AUDIT", "FIB_LOOKUP", "CONNECTOR", "NETFILTER", "IP6_FW", "DNRTMSG",
            "KOBJECT_UEVENT", "GENERIC", null, "SCSITRANSPORT", "ECRYPTFS", "RDMA", "CRYPTO", "SMC"};
    private static final int UNIX_ACCEPTCON = 0x10000;
    private static final Pattern BLANKS = Pattern.compile("\\s+");

    final String fileName;
    private final String family;
    private final String protocol;

    NetTable(String fileName, String family, String protocol) {
        this.fileName = fileName;
        this.family = family;
        this.protocol = protocol;
    }

    /** Parses a whole table (header line included) into sockets by inode. */
    Map<Long, SocketInfo> parse(String text) {
        Map<Long, SocketInfo> byInode = new HashMap<>();
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) {
            try {
                SocketInfo s = parseLine(lines[i].trim());
                if (s != null) byInode.put(s.inode(), s);
            } catch (RuntimeException e) {
                // a line in a format we do not know: skip it, the socket just stays without details
            }
        }
        return byInode;
    }

    private SocketInfo parseLine(String line) {
        if (line.isEmpty()) return null;
        return switch (this) {
            case UNIX -> parseUnix(line);
            case NETLINK -> parseNetlink(line);
            case PACKET -> parsePacket(line);
            default -> parseInet(line);
        };
    }

    // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
    private SocketInfo parseInet(String line) {
        String[] f = BLANKS.split(line);
        long inode = Long.parseLong(f[9]);
        int st = Integer.parseInt(f[3], 16);
        String local = inetAddress(f[1]);
        String peer = inetAddress(f[2]);
        String state = switch (this) {
            case TCP, TCP6 -> st < TCP_STATES.length ? TCP_STATES[st] : "0x" + f[3];
            // datagram sockets: 1 (established) means connect() was called, anything else is not worth showing
            default -> st == 1 ? "CONNECTED" : null;
        };
        if (this == RAW || this == RAW6) {
            // the "port" of a raw socket is its IP protocol number; there is no peer unless connected
            local = hostPart(f[1]) + " proto " + Integer.parseInt(portHex(f[1]), 16);
            peer = st == 1 ? hostPart(f[2]) : null;
        }
        return new SocketInfo(inode, family, protocol, state, local, peer);
    }

    // "Num RefCount Protocol Flags Type St Inode Path"; the path may hold spaces, so split at most 8 ways
    private SocketInfo parseUnix(String line) {
        String[] f = BLANKS.split(line, 8);
        int flags = Integer.parseInt(f[3], 16);
        String type = switch (Integer.parseInt(f[4], 16)) {
            case 1 -> "STREAM";
            case 2 -> "DGRAM";
            case 5 -> "SEQPACKET";
            default -> "TYPE " + Integer.parseInt(f[4], 16);
        };
        int st = Integer.parseInt(f[5], 16);
        String state = (flags & UNIX_ACCEPTCON) != 0 ? "LISTEN" : st < UNIX_STATES.length ? UNIX_STATES[st] : "0x" + f[5];
        long inode = Long.parseLong(f[6]);
        String path = f.length > 7 && !f[7].isEmpty() ? f[7] : null;
        return new SocketInfo(inode, family, type, state, path, null);
    }

    // "sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode"
    private SocketInfo parseNetlink(String line) {
        String[] f = BLANKS.split(line);
        int proto = Integer.parseInt(f[1]);
        String name = proto < NETLINK_PROTOCOLS.length && NETLINK_PROTOCOLS[proto] != null ? NETLINK_PROTOCOLS[proto] : "PROTOCOL " + proto;
        return new SocketInfo(Long.parseLong(f[9]), family, name, null, "portid " + Long.parseLong(f[2]), null);
    }

    // "sk RefCnt Type Proto Iface R Rmem User Inode"
    private SocketInfo parsePacket(String line) {
        String[] f = BLANKS.split(line);
        String type = switch (Integer.parseInt(f[2])) {
            case 2 -> "DGRAM";
            case 3 -> "RAW";
            default -> "TYPE " + f[2];
        };
        String local = "ifindex " + f[4] + " ethertype 0x" + f[3].toLowerCase(java.util.Locale.ROOT);
        return new SocketInfo(Long.parseLong(f[8]), family, type, null, local, null);
    }

    /** {@code 0100007F:1F90} to {@code 127.0.0.1:8080}, IPv6 to {@code [::1]:8080}; null for the all-zero "none". */
    static String inetAddress(String hexAddressPort) {
        String host = hostPart(hexAddressPort);
        int port = Integer.parseInt(portHex(hexAddressPort), 16);
        if (port == 0 && (host.equals("0.0.0.0") || host.equals("::"))) return null;
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static String portHex(String hexAddressPort) {
        return hexAddressPort.substring(hexAddressPort.indexOf(':') + 1);
    }

    /**
     * The host of a {@code /proc/net} address. The kernel prints each 32-bit word of the network-order address
     * as a host-order integer, so on little-endian machines the bytes of every word come out reversed.
     */
    static String hostPart(String hexAddressPort) {
        String hex = hexAddressPort.substring(0, hexAddressPort.indexOf(':'));
        byte[] bytes = new byte[hex.length() / 2];
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        for (int word = 0; word < bytes.length / 4; word++) {
            int value = Integer.parseUnsignedInt(hex.substring(word * 8, word * 8 + 8), 16);
            if (little) value = Integer.reverseBytes(value);
            for (int b = 0; b < 4; b++) bytes[word * 4 + b] = (byte) (value >>> (24 - 8 * b));
        }
        return bytes.length == 4 ? ipv4(bytes, 0) : ipv6(bytes);
    }

    private static String ipv4(byte[] b, int from) {
        return (b[from] & 0xff) + "." + (b[from + 1] & 0xff) + "." + (b[from + 2] & 0xff) + "." + (b[from + 3] & 0xff);
    }

    /** RFC 5952 text: lower case, the longest run of two or more zero groups as {@code ::}, IPv4-mapped as {@code ::ffff:a.b.c.d}. */
    static String ipv6(byte[] b) {
        boolean mapped = true;
        for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
        if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) return "::ffff:" + ipv4(b, 12);
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1, bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') out.append(':');
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
