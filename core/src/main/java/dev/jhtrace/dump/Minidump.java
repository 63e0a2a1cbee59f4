package dev.jhtrace.dump;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * What jhtrace reads from a Windows minidump: the header, the stream directory, and the streams that
 * matter for handles, decoded in pure Java (no dbghelp), so a dump opens the same on any OS.
 * Every stream is optional: a field is null (or a list empty) when the dump lacks the stream.
 *
 * @param source     the file name (or label) errors name
 * @param fileSize   size of the file in bytes
 * @param header     the MINIDUMP_HEADER
 * @param directory  the stream directory, in file order (unused entries included)
 * @param systemInfo SystemInfoStream (7), or null
 * @param miscInfo   MiscInfoStream (15), or null
 * @param modules    ModuleListStream (4), in file order (the main executable first); empty when absent
 * @param handles    HandleDataStream (12) descriptors in file order, or null when the dump has no handle data
 * @param operations HandleOperationListStream (18) entries in file order, or null when the dump has none
 */
public record Minidump(String source, long fileSize, MinidumpHeader header, List<StreamEntry> directory,
                       SystemInfo systemInfo, MiscInfo miscInfo, List<ModuleInfo> modules,
                       List<HandleDescriptor> handles, List<HandleOperation> operations) {

    public Minidump {
        directory = List.copyOf(directory);
        modules = List.copyOf(modules);
        handles = handles == null ? null : List.copyOf(handles);
        operations = operations == null ? null : List.copyOf(operations);
    }

    /**
     * Reads a dump file. The file is read once and closed before this returns.
     *
     * @throws JhtraceException TARGET_NOT_FOUND when the file does not exist, PERMISSION_DENIED when it
     *                          cannot be opened, BAD_INPUT (one line) when it is not a well-formed minidump
     */
    public static Minidump read(Path file) {
        if (Files.isDirectory(file)) throw new JhtraceException(Failure.BAD_INPUT, file + ": is a directory, not a minidump");
        String label = String.valueOf(file.getFileName());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new MinidumpReader(DumpBytes.of(label, channel)).read();
        } catch (NoSuchFileException e) {
            throw new JhtraceException(Failure.TARGET_NOT_FOUND, file + ": no such dump file");
        } catch (AccessDeniedException e) {
            throw new JhtraceException(Failure.PERMISSION_DENIED, file + ": permission denied");
        } catch (IOException e) {
            throw new JhtraceException(Failure.BAD_INPUT, file + ": cannot read: " + e.getMessage());
        }
    }

    /** Decodes a dump held in memory; {@code label} names it in error messages. */
    public static Minidump parse(byte[] bytes, String label) {
        return new MinidumpReader(DumpBytes.of(label, bytes)).read();
    }

    /** True when the dump has a HandleDataStream (12). */
    public boolean hasHandleData() {
        return handles != null;
    }

    /** True when the dump has a HandleOperationListStream (18): a handle trace was on when it was written. */
    public boolean hasHandleOperations() {
        return operations != null;
    }

    /**
     * One line about the dump for a listing's heading, e.g.
     * {@code tiny.exe pid 15444, x64 Windows 10.0.22000 (282), written 2021-11-01T21:55:43Z, 147 handles, no handle trace}.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        ModuleInfo main = mainModule();
        sb.append(main == null ? source : main.fileName());
        if (miscInfo != null && miscInfo.processId() != null) sb.append(" pid ").append(miscInfo.processId());
        if (systemInfo != null) {
            sb.append(", ").append(systemInfo.architecture()).append(" Windows ").append(systemInfo.osVersion());
            if (systemInfo.csdVersion() != null && !systemInfo.csdVersion().isEmpty()) sb.append(" (").append(systemInfo.csdVersion()).append(')');
        }
        if (header.time() != null) sb.append(", written ").append(header.time());
        sb.append(", ").append(handles == null ? "no handle data" : handles.size() + " handles");
        sb.append(", ").append(operations == null ? "no handle trace" : operations.size() + " traced handle operations");
        return sb.toString();
    }

    /** The main executable (the first module), or null when the module list is empty. */
    public ModuleInfo mainModule() {
        return modules.isEmpty() ? null : modules.get(0);
    }
}
