package dev.jhtrace.shell.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes as people write them: {@code 500MB}, {@code 2GB}, {@code 64KB}, {@code 1048576} (bytes); units are powers of 1024. */
public final class SizeConverter implements ITypeConverter<Long> {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?");

    @Override
    public Long convert(String value) {
        Matcher m = FORM.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) throw new TypeConversionException("'" + value + "' is not a size: use e.g. 500MB, 2GB, 64KB");
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).substring(0, 1);
        double factor = switch (unit) {
            case "k" -> 1024d;
            case "m" -> 1024d * 1024;
            case "g" -> 1024d * 1024 * 1024;
            case "t" -> 1024d * 1024 * 1024 * 1024;
            default -> 1d;
        };
        double bytes = n * factor;
        if (bytes > Long.MAX_VALUE / 2) throw new TypeConversionException("'" + value + "' is too large");
        return Math.round(bytes);
    }
}
