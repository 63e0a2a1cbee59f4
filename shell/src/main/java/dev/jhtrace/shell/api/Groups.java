package dev.jhtrace.shell.api;

import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.report.LeakReportText;

import java.util.Iterator;
import java.util.List;

/**
 * The groups of a leak report, heaviest first. Iterable, so {@code each}, {@code collect},
 * {@code find} all work; {@code groups[0]} is the heaviest group.
 * <pre>
 * leaks.byStack().top(5).each { println it }
 * </pre>
 */
public final class Groups implements Iterable<Group> {
    private final LeakReport report;

    public Groups(LeakReport report) {
        this.report = report;
    }

    /** The whole report (target, counts by type, groups) for JSON or text output. */
    public LeakReport getReport() {
        return report;
    }

    /** Only the {@code n} heaviest groups. */
    public Groups top(int n) {
        return new Groups(report.top(n));
    }

    /** Number of groups. */
    public int size() {
        return report.groups().size();
    }

    /** Number of outstanding handles over all groups of the report. */
    public int getOutstanding() {
        return report.outstanding();
    }

    /** The group at {@code index} (0 = heaviest); Groovy: {@code groups[index]}. */
    public Group getAt(int index) {
        return new Group(report.groups().get(index));
    }

    /** The groups as a list. */
    public List<Group> asList() {
        return report.groups().stream().map(Group::new).toList();
    }

    @Override
    public Iterator<Group> iterator() {
        return asList().iterator();
    }

    /** The report as {@code jhtrace leaks} prints it. */
    @Override
    public String toString() {
        return LeakReportText.render(report);
    }
}
