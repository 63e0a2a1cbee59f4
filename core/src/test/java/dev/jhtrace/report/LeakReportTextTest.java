package dev.jhtrace.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LeakReportTextTest {

    @Test
    void aFewThreadsAreListedAndManyAreCountedWithTheFirstFew() {
        assertEquals("11, 12", LeakReportText.threads(List.of(11, 12)));
        List<Integer> many = IntStream.rangeClosed(1000, 1199).boxed().toList();
        assertEquals("200 threads: 1000, 1001, 1002, 1003, 1004 and 195 more", LeakReportText.threads(many));
    }
}
