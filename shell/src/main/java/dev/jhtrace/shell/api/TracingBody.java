package dev.jhtrace.shell.api;

/** The body of {@link Jhtrace#withTracing}: a Groovy closure taking the target. */
@FunctionalInterface
public interface TracingBody<T> {
    T run(Target target) throws Exception;
}
