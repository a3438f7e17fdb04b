package io.github.meshalloc.examples.cli;

import com.google.common.base.Preconditions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A meshalloc tool: the checks the CLI makes on the files it reads and writes, before any work is done, so that bad
 * input is refused with a message naming the file and what is wrong, nothing is printed as a result and no output
 * file is created or touched.
 *
 * <p>Outputs are written to a temporary file next to the target and moved over it, so a failed write never leaves a
 * partial file nor truncates an existing one.
 */
final class CliFiles {

    private CliFiles() {
    }

    /**
     * Checks that {@code file} is a readable, non-empty UTF-8 text file; {@code what} names what it should be (e.g.
     * "a server log").
     *
     * @throws BadInputException naming the file and what is wrong with it
     */
    static void checkText(Path file, String what) {
        Preconditions.checkNotNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new BadInputException(file + " is a directory; give " + what);
        }
        if (!Files.exists(file)) {
            throw new BadInputException("no such file: " + file + "; give " + what);
        }
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + " is not a regular file; give " + what);
        }
        if (!Files.isReadable(file)) {
            throw new BadInputException("cannot read " + file + ": permission denied");
        }
        // decoded here in chunks, not with a BufferedReader: its read-ahead would report a bad byte on line 1
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        byte[] chunk = new byte[1 << 16];
        ByteBuffer in = ByteBuffer.allocate(chunk.length + 16);
        CharBuffer chars = CharBuffer.allocate(chunk.length + 16);
        long newlines = 0;
        boolean partial = false;
        boolean blank = true;
        try (InputStream stream = Files.newInputStream(file)) {
            while (true) {
                int n = stream.read(chunk);
                boolean end = n < 0;
                if (!end) {
                    in.put(chunk, 0, n);
                }
                in.flip();
                CoderResult result = decoder.decode(in, chars, end);
                chars.flip();
                while (chars.hasRemaining()) {
                    char c = chars.get();
                    if (c == '\n') {
                        newlines++;
                        partial = false;
                    } else {
                        partial = true;
                        blank &= Character.isWhitespace(c);
                    }
                }
                chars.clear();
                if (result.isError()) {
                    throw new BadInputException(file + ": line " + (newlines + 1) + " is not UTF-8 text; give "
                            + what);
                }
                in.compact();
                if (end) {
                    break;
                }
            }
        } catch (AccessDeniedException e) {
            throw new BadInputException("cannot read " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + reason(e), e);
        }
        if (blank) {
            long lines = newlines + (partial ? 1 : 0);
            throw new BadInputException(file + " is empty" + (lines > 0 ? " (" + lines + " blank lines)" : "")
                    + "; give " + what);
        }
    }

    /**
     * Checks, before any work, that {@code option}'s file {@code out} can be written: not a directory, its directory
     * exists and is writable, an existing file is writable, and it is none of {@code inputs}.
     *
     * @throws BadInputException naming the option, the file and what is wrong
     */
    static void checkWritable(String option, Path out, Path... inputs) {
        Preconditions.checkNotNull(out, "out");
        if (Files.isDirectory(out)) {
            throw new BadInputException(option + " " + out + " is a directory; give a file name");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.exists(parent)) {
            throw new BadInputException(option + " " + out + ": directory " + parent + " does not exist");
        }
        if (!Files.isDirectory(parent)) {
            throw new BadInputException(option + " " + out + ": " + parent + " is a file, not a directory");
        }
        for (Path input : inputs) {
            if (input != null && same(out, input)) {
                throw new BadInputException(option + " " + out + " is the input file " + input
                        + "; writing would overwrite it");
            }
        }
        if (Files.exists(out) && !Files.isWritable(out)) {
            throw new BadInputException(option + " " + out + ": permission denied");
        }
        // the write goes through a temporary file in the directory: try creating it now (read-only file systems and
        // permissions are only known by trying)
        Path probe = temporary(out);
        try {
            Files.newOutputStream(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
            Files.delete(probe);
        } catch (IOException e) {
            throw new BadInputException(option + " " + out + ": cannot create a file in " + parent + " ("
                    + reason(e) + ")", e);
        }
    }

    private static Path temporary(Path out) {
        return out.toAbsolutePath().getParent().resolve("." + out.getFileName() + "." + ProcessHandle.current().pid()
                + ".tmp");
    }

    /** What went wrong, without the exception's class name. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        return String.valueOf(e.getMessage());
    }

    private static boolean same(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException e) {
            // fall through to comparing the paths
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /**
     * Writes {@code text} (UTF-8) to {@code out} through a temporary file in the same directory, moved over
     * {@code out} once complete: on failure {@code out} is as it was and no partial file remains.
     *
     * @throws BadInputException naming the option and file
     */
    static void write(String option, Path out, String text) {
        Path tmp = null;
        try {
            // not createTempFile: its 0600 would replace the umask's permissions of a new file
            tmp = temporary(out);
            Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            if (Files.exists(out)) {
                try {
                    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(out));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the new file keeps the default permissions
                }
            }
            try {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new BadInputException("cannot write " + option + " " + out + ": " + reason(e), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // best effort: the message above already names the failure
                }
            }
        }
    }
}
