package dev.jhtrace.proc;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Open-flag names per architecture and fdinfo parsing, on values as Linux prints them. */
class OpenFlagsAndFdInfoTest {

    @Test
    void x86FlagNames() {
        OpenFlags x86 = OpenFlags.forArch("amd64");
        assertEquals("O_RDWR|O_LARGEFILE|O_CLOEXEC", x86.render(02100002));
        assertEquals("O_RDONLY|O_LARGEFILE|O_DIRECTORY", x86.render(0300000));
        assertEquals("O_WRONLY|O_APPEND|O_LARGEFILE", x86.render(0102001));
        assertEquals("O_RDONLY|O_NONBLOCK", x86.render(04000));
        assertEquals("O_RDONLY|O_PATH", x86.render(010000000));
        assertEquals("O_RDWR|0100000000000", x86.render(0100000000002L), "unnamed bits stay visible in octal");
    }

    @Test
    void armAndPowerMoveFourFlags() {
        assertEquals("O_RDONLY|O_DIRECTORY|O_LARGEFILE", OpenFlags.forArch("aarch64").render(0440000));
        assertEquals("O_RDWR|O_NOFOLLOW|O_DIRECT", OpenFlags.forArch("aarch64").render(0300002));
        assertEquals("O_RDONLY|O_DIRECTORY|O_LARGEFILE", OpenFlags.forArch("ppc64le").render(0240000));
        assertEquals("O_WRONLY|042100", OpenFlags.forArch("mips64el").render(042101), "no table there: access mode, then octal");
    }

    @Test
    void fdinfoOfAFile() {
        FdInfo info = FdInfo.parse("pos:\t462\nflags:\t0100001\nmnt_id:\t27\nino:\t2146743\n");
        assertEquals(new FdInfo(462, 0100001, 27, 2146743, Map.of()), info);
    }

    @Test
    void fdinfoTypeDetails() {
        assertEquals(Map.of("eventfd-count", "0x7", "eventfd-semaphore", "0"),
                FdInfo.parse("pos:\t0\nflags:\t02000002\nmnt_id:\t17\nino:\t17\neventfd-count:                7\neventfd-id: 1\neventfd-semaphore: 0\n").typeDetails());
        assertEquals(Map.of("watches", "2"), FdInfo.parse("pos:\t0\nflags:\t02\n"
                + "tfd:        9 events:       19 data:                9  pos:0 ino:2a8a sdev:f\n"
                + "tfd:       10 events:       19 data:                a  pos:0 ino:2a8b sdev:f\n").typeDetails());
        assertEquals(Map.of("watches", "1"), FdInfo.parse("pos:\t0\nflags:\t00\n"
                + "inotify wd:1 ino:20c1b6 sdev:fe00000 mask:100 ignored_mask:0 fhandle-bytes:8 fhandle-type:1 f_handle:b6c12000810381d1\n").typeDetails());
        assertEquals(Map.of("Pid", "6515"), FdInfo.parse("pos:\t0\nflags:\t02000002\nPid:\t6515\nNSpid:\t6515\n").typeDetails());
        assertEquals(FdInfo.EMPTY, FdInfo.parse(""));
    }
}
