/**
 * The {@code cmdq} command line (picocli): one class per subcommand. It owns argument parsing and
 * output formatting only; the work is done by the library modules and the benchmark suite.
 */
package dev.cmdq.bench.cli;
