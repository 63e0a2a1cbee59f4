package dev.jhtrace.capture;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Appends the records of one segment to capture files: each line written whole, then flushed and
 * fsync'd, so a crash loses at most the record being written. Rolls to a new part (with its own
 * header) at the budget's part size, and after each record deletes the oldest files over budget.
 */
public final class SegmentWriter implements Closeable {
    private final Path dir;
    private final DiskBudget budget;
    /** The files being written by every writer of the capture (this one's among them): rotation spares them all. */
    private final java.util.Set<Path> writing;
    private CaptureHeader header;
    private Path file;
    private FileChannel channel;
    private long size;
    private int rotatedFiles;

    /**
     * Opens the segment's first file and writes its header.
     *
     * @param rotatedBefore files already rotated away in this capture (carried into the headers)
     */
    public SegmentWriter(Path dir, CaptureHeader header, DiskBudget budget, int rotatedBefore) throws IOException {
        this(dir, header, budget, rotatedBefore, java.util.concurrent.ConcurrentHashMap.newKeySet());
    }

    /**
     * As the other, one of several writers at once ({@code capture --all}) sharing {@code writing}, the set of the
     * files they are writing.
     */
    public SegmentWriter(Path dir, CaptureHeader header, DiskBudget budget, int rotatedBefore, java.util.Set<Path> writing) throws IOException {
        this.dir = dir;
        this.budget = budget;
        this.writing = writing;
        this.rotatedFiles = rotatedBefore;
        open(header);
        rotatedFiles += budget.enforce(dir, writing);
    }

    /** Appends one record durably, then rolls and rotates as needed. */
    public void append(CaptureRecord record) throws IOException {
        write(CaptureFormat.line(record));
        if (size >= budget.partBytes()) {
            channel.close();
            writing.remove(file);
            open(header.nextPart(rotatedFiles));
        }
        rotatedFiles += budget.enforce(dir, writing);
    }

    /** The file being written. */
    public Path file() {
        return file;
    }

    /** Files deleted by rotation so far in this capture. */
    public int rotatedFiles() {
        return rotatedFiles;
    }

    @Override
    public void close() throws IOException {
        if (channel != null && channel.isOpen()) channel.close();
        if (file != null) writing.remove(file);
    }

    private void open(CaptureHeader h) throws IOException {
        header = h;
        file = dir.resolve(CaptureFiles.fileName(h));
        writing.add(file);
        channel = CaptureFiles.createAppendOnly(file);
        size = 0;
        write(CaptureFormat.line(h));
        CaptureFiles.syncDirectory(dir);
    }

    private void write(String line) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) size += channel.write(buf);
        channel.force(false);
    }
}
