package dev.jhtrace.dump;

/**
 * The SystemInfoStream (7): the machine the dump was written on.
 *
 * @param processorArchitecture PROCESSOR_ARCHITECTURE_* value (9 = AMD64, 0 = x86, 12 = ARM64 ...)
 * @param numberOfProcessors    logical processors
 * @param productType           1 workstation, 2 domain controller, 3 server
 * @param majorVersion          OS major version
 * @param minorVersion          OS minor version
 * @param buildNumber           OS build number
 * @param platformId            2 for Windows NT
 * @param csdVersion            the service-pack (CSD) string, "" when empty, null when absent
 */
public record SystemInfo(int processorArchitecture, int numberOfProcessors, int productType, long majorVersion,
                         long minorVersion, long buildNumber, long platformId, String csdVersion) {

    /** The architecture as debuggers name it: {@code x64}, {@code x86}, {@code arm64} ... */
    public String architecture() {
        return switch (processorArchitecture) {
            case 0 -> "x86";
            case 5 -> "arm";
            case 6 -> "ia64";
            case 9 -> "x64";
            case 12 -> "arm64";
            default -> "unknown (" + processorArchitecture + ")";
        };
    }

    /** The OS version, e.g. {@code 10.0.22000}. */
    public String osVersion() {
        return majorVersion + "." + minorVersion + "." + buildNumber;
    }
}
