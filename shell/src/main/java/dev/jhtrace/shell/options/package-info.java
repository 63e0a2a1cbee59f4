/**
 * Options and converters that both the command line ({@code cli}) and the REPL ({@code repl}) use: kept
 * below both so that the arrows between them go one way.
 */
package dev.jhtrace.shell.options;
