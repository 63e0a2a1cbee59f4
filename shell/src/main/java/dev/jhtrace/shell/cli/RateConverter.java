package dev.jhtrace.shell.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses growth rates into handles per hour: {@code 100/h}, {@code 5/m}, {@code 1000/d}; a bare number is per hour. */
public final class RateConverter implements ITypeConverter<Double> {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:/\\s*(s|m|min|h|d))?");

    @Override
    public Double convert(String value) {
        Matcher m = FORM.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) throw new TypeConversionException("'" + value + "' is not a rate: use e.g. 100/h, 5/m, 1000/d");
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "h" : m.group(2);
        return switch (unit) {
            case "s" -> n * 3600;
            case "m", "min" -> n * 60;
            case "d" -> n / 24;
            default -> n;
        };
    }
}
