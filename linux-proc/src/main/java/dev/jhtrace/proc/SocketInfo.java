package dev.jhtrace.proc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@code /proc/PID/net} table says about one socket.
 *
 * @param inode    socket inode, as in {@code socket:[inode]}
 * @param family   {@code INET}, {@code INET6}, {@code UNIX}, {@code NETLINK}, {@code PACKET}
 * @param protocol {@code TCP}, {@code UDP}, {@code UDPLITE}, {@code RAW}, {@code ICMP} (ping sockets); for UNIX the
 *                 socket type ({@code STREAM}, {@code DGRAM}, {@code SEQPACKET}); for NETLINK the netlink protocol
 *                 ({@code ROUTE}, {@code AUDIT} ...); for PACKET the socket type
 * @param state    connection state ({@code LISTEN}, {@code ESTABLISHED} ...), or null when not meaningful
 * @param local    local address ({@code 127.0.0.1:8080}, {@code [::1]:53}, a unix path, {@code @abstract},
 *                 {@code portid 1234}, {@code ifindex 2 ethertype 0x0003}), or null when unbound
 * @param peer     remote address, or null when not connected or unknown (unix peers are not in /proc)
 */
record SocketInfo(long inode, String family, String protocol, String state, String local, String peer) {

    /** The facts for {@link dev.jhtrace.model.HandleEntry#details()}, in display order, nulls left out. */
    Map<String, String> details() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("family", family);
        if (protocol != null) d.put("protocol", protocol);
        if (state != null) d.put("state", state);
        if (local != null) d.put("local", local);
        if (peer != null) d.put("peer", peer);
        return d;
    }

    /**
     * One line a person reads, as ss(8) would show it: {@code TCP 127.0.0.1:8080 LISTEN},
     * {@code TCP 10.0.0.1:5000 -> 10.0.0.2:443 ESTABLISHED}, {@code UNIX STREAM /run/app.sock}.
     */
    String describe() {
        StringBuilder sb = new StringBuilder(family.equals("INET") || family.equals("INET6") ? protocol == null ? family : protocol
                : protocol == null ? family : family + " " + protocol);
        if (local != null) sb.append(' ').append(local);
        if (peer != null) sb.append(" -> ").append(peer);
        if (state != null) sb.append(' ').append(state);
        return sb.toString();
    }
}
