package dev.jhtrace.dump;

/**
 * One loaded module of the ModuleListStream (4).
 *
 * @param baseOfImage   load address
 * @param sizeOfImage   bytes mapped from the base
 * @param path          the full image path as the dump records it
 * @param timeDateStamp the PE header's link time stamp
 * @param checksum      the PE header's checksum
 */
public record ModuleInfo(long baseOfImage, long sizeOfImage, String path, long timeDateStamp, long checksum) {

    /** The file name without directory, e.g. {@code KERNEL32.DLL}. */
    public String fileName() {
        return path.substring(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1);
    }

    /** The module name as debuggers print it in frames: the file name without its extension, e.g. {@code KERNEL32}. */
    public String name() {
        String f = fileName();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    /** True when {@code address} lies inside the image. */
    public boolean contains(long address) {
        return Long.compareUnsigned(address - baseOfImage, sizeOfImage) < 0;
    }
}
