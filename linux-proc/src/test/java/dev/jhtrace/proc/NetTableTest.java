package dev.jhtrace.proc;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Parsing of /proc/net tables, on lines as a little-endian Linux 6 kernel prints them (addresses that fdzoo cannot
 * easily make: IPv6 globals, IPv4-mapped, unix paths with spaces, raw and packet sockets). fdzoo covers the live path.
 */
class NetTableTest {

    @BeforeAll
    static void littleEndian() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the sample lines were printed by a little-endian kernel");
    }

    private static final String INET_HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    @Test
    void tcpListenerAndConnection() {
        Map<Long, SocketInfo> t = NetTable.TCP.parse(INET_HEADER
                + "   0: 0100007F:AFC3 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 108089 1 0000000000000000 100 0 0 10 0\n"
                + "   1: 0100007F:BFAC 0100007F:AFC3 01 00000000:00000000 00:00000000 00000000     0        0 108091 1 0000000000000000 20 4 30 10 -1\n");
        assertEquals(new SocketInfo(108089, "INET", "TCP", "LISTEN", "127.0.0.1:44995", null), t.get(108089L));
        assertEquals(new SocketInfo(108091, "INET", "TCP", "ESTABLISHED", "127.0.0.1:49068", "127.0.0.1:44995"), t.get(108091L));
    }

    @Test
    void ipv6AddressesAreWrittenTheShortWay() {
        Map<Long, SocketInfo> t = NetTable.TCP6.parse(INET_HEADER
                + "   0: 00000000000000000000000001000000:84EB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n"
                + "   1: B80D0120000000000000000001000000:0050 B80D01200000000000000000FE000000:D431 01 00000000:00000000 00:00000000 00000000     0        0 2 1\n"
                + "   2: 0000000000000000FFFF00000100007F:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3 1\n"
                + "   3: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4 1\n");
        assertEquals("[::1]:34027", t.get(1L).local());
        assertEquals("[2001:db8::1]:80", t.get(2L).local());
        assertEquals("[2001:db8::fe]:54321", t.get(2L).peer());
        assertEquals("[::ffff:127.0.0.1]:8080", t.get(3L).local());
        assertEquals("[::]:22", t.get(4L).local());
        assertEquals("INET6", t.get(4L).family());
    }

    @Test
    void ipv6CompressesOnlyTheLongestZeroRun() {
        byte[] b = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
        assertEquals("2001:db8:0:1::1", NetTable.ipv6(b));
        byte[] single = {0x20, 0x01, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
        assertEquals("2001:0:1:1:1:1:1:1", NetTable.ipv6(single), "a single zero group stays");
    }

    @Test
    void udpSaysConnectedOnlyWhenConnected() {
        Map<Long, SocketInfo> t = NetTable.UDP.parse(INET_HEADER
                + " 1234: 0100007F:C5BC 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 10 2 0000000000000000 0\n"
                + " 1235: 0100007F:C5BD 0800000A:0035 01 00000000:00000000 00:00000000 00000000     0        0 11 2 0000000000000000 0\n");
        assertEquals(new SocketInfo(10, "INET", "UDP", null, "127.0.0.1:50620", null), t.get(10L));
        assertEquals(new SocketInfo(11, "INET", "UDP", "CONNECTED", "127.0.0.1:50621", "10.0.0.8:53"), t.get(11L));
    }

    @Test
    void rawSocketsShowTheirIpProtocol() {
        Map<Long, SocketInfo> t = NetTable.RAW.parse(INET_HEADER
                + "   1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 77 2 0000000000000000 0\n");
        assertEquals(new SocketInfo(77, "INET", "RAW", null, "0.0.0.0 proto 1", null), t.get(77L));
    }

    @Test
    void unixSocketsKeepPathsWithSpacesAndAbstractNames() {
        Map<Long, SocketInfo> t = NetTable.UNIX.parse("Num       RefCount Protocol Flags    Type St Inode Path\n"
                + "000000009d920228: 00000002 00000000 00010000 0001 01 12345 /run/my app/sock\n"
                + "0000000059c4ddc0: 00000003 00000000 00000000 0001 03  1523\n"
                + "0000000059c4ddc1: 00000002 00000000 00000000 0002 01 99 @/tmp/.X11-unix/X0\n"
                + "0000000059c4ddc2: 00000002 00000000 00000000 0005 01 98\n");
        assertEquals(new SocketInfo(12345, "UNIX", "STREAM", "LISTEN", "/run/my app/sock", null), t.get(12345L));
        assertEquals(new SocketInfo(1523, "UNIX", "STREAM", "CONNECTED", null, null), t.get(1523L));
        assertEquals(new SocketInfo(99, "UNIX", "DGRAM", "UNCONNECTED", "@/tmp/.X11-unix/X0", null), t.get(99L));
        assertEquals("SEQPACKET", t.get(98L).protocol());
    }

    @Test
    void netlinkAndPacketSockets() {
        Map<Long, SocketInfo> nl = NetTable.NETLINK.parse("sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n"
                + "000000009d4df868 0   4242       00000000 0        0        0     2        0        108101\n"
                + "00000000d182db20 9   0          00000000 0        0        0     2        0        1437\n"
                + "00000000d182db21 99  7          00000000 0        0        0     2        0        1438\n");
        assertEquals(new SocketInfo(108101, "NETLINK", "ROUTE", null, "portid 4242", null), nl.get(108101L));
        assertEquals("AUDIT", nl.get(1437L).protocol());
        assertEquals("PROTOCOL 99", nl.get(1438L).protocol());
        Map<Long, SocketInfo> packet = NetTable.PACKET.parse("sk       RefCnt Type Proto  Iface R Rmem   User   Inode\n"
                + "0000000012345678 3      3    0003   2     1 0      0      5555\n");
        assertEquals(new SocketInfo(5555, "PACKET", "RAW", null, "ifindex 2 ethertype 0x0003", null), packet.get(5555L));
    }

    @Test
    void linesOfAnUnknownShapeAreSkipped() {
        Map<Long, SocketInfo> t = NetTable.TCP.parse(INET_HEADER + "garbage\n\n   0: 0100007F:AFC3\n");
        assertTrue(t.isEmpty());
    }
}
