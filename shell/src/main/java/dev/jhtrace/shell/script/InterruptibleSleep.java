package dev.jhtrace.shell.script;

import org.codehaus.groovy.ast.ClassCodeExpressionTransformer;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;

/**
 * Rewrites a bare {@code sleep(ms)} into {@code this.sleep(ms)}, so that inside closures too it reaches
 * {@link JhtraceScript#sleep(long)}, which Ctrl-C ends. Without this, a closure's {@code sleep} is
 * Groovy's own, which sleeps on through interrupts: {@code withTracing { sleep 60_000 }} could not be cut short.
 */
final class InterruptibleSleep extends CompilationCustomizer {
    InterruptibleSleep() {
        super(CompilePhase.SEMANTIC_ANALYSIS);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        new ClassCodeExpressionTransformer() {
            @Override
            protected SourceUnit getSourceUnit() {
                return source;
            }

            @Override
            public Expression transform(Expression e) {
                if (e instanceof MethodCallExpression m && m.isImplicitThis() && "sleep".equals(m.getMethodAsString())) {
                    MethodCallExpression call = new MethodCallExpression(new VariableExpression("this"), "sleep", transform(m.getArguments()));
                    call.setImplicitThis(false);
                    call.setSourcePosition(m);
                    return call;
                }
                if (e instanceof ClosureExpression c) {
                    c.getCode().visit(this);
                    return c;
                }
                return e == null ? null : e.transformExpression(this);
            }
        }.visitClass(classNode);
    }
}
