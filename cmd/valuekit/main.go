// Command valuekit computes customer-value figures from an export of
// customer events: per-customer summaries, lifetime-value models and
// predictions, RFM scores, segments and cohorts.
//
// Usage:
//
//	valuekit <command> [flags] FILE
//
// Run "valuekit help" for the list of commands and "valuekit <command>
// --help" for each command's flags. Exit status: 0 on success, 1 on a data
// error (the message goes to standard error), 2 on a usage error, 130 when
// interrupted (Ctrl-C).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"runtime/trace"
	"strings"
)

// command is one subcommand. Adding a subcommand means adding a file with
// its run function and a line to commands.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

func commands() []command {
	return []command{
		{"summary", "per-customer summary (frequency, recency, T, monetary value, revenue, referrals, experience)", runSummary},
		{"fit", "fit a lifetime-value model (bgnbd, pnbd, mbgnbd, bgbb, sbg, gg) and print it as JSON", runFit},
		{"cohort", "acquisition cohorts: retention, revenue and cumulative value by age, with sBG projection", runCohort},
		{"predict", "per-customer expected purchases, P(alive), CLV (discounted with --annual-discount-rate) and referral-inclusive total value", runPredict},
		{"rfm", "recency, frequency and monetary scores and named RFM segments (Champions … Lost)", runRFM},
		{"segment", "value-based segments: profit × experience quadrant, CLV × referral, private domain, A/B/C tiers; portfolio", runSegment},
		{"report", "one self-contained HTML report: data overview, models, validation, predictions, segments, RFM, cohorts", runReport},
		{"validate", "fit models on a calibration period, score them on the holdout and recommend one", runValidate},
		{"expect", "a new customer's expected purchases E[X(t)] and P(X(t) = k) under a saved model", runExpect},
		{"history", "one customer's P(alive) at each purchase (and every --step) under a saved model", runHistory},
		{"migrate", "segment transitions between two snapshots (who moved up, who slipped, new and gone customers)", runMigrate},
		{"seeds", "top customers by total value (own + referral) for lookalike targeting", runSeeds},
		{"generate", "simulate a customer base (BG/NBD or Pareto/NBD, Gamma-Gamma spend) and write its events", runGenerate},
	}
}

// env is what a command may touch: its output streams.
type env struct {
	stdin          io.Reader // read when FILE is "-"
	stdout, stderr io.Writer
	terminal       bool // stderr is a terminal: progress bars are drawn
	// onScore, if not nil, is called with predict's progress (tests).
	onScore func(done, total int)
}

// usageError marks errors in how the command was called (exit status 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

func main() {
	// Batch work over large pointer-light heaps: collecting at half the
	// live heap's growth (GOGC=50) instead of all of it costs little
	// marking and keeps the peak lower — predict on 1M customers 522-531 MB
	// -> 449-450 MB peak RSS at the same CPU time, a 10M-customer predict
	// 4.99 -> 4.32 GB — and first touches of memory are slow on virtual
	// machines. A GOGC in the environment wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	// VALUEKIT_CPUPROFILE=FILE writes a CPU profile of the command (for
	// BENCHMARKS.md and performance reports; see go tool pprof).
	if path := os.Getenv("VALUEKIT_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer f.Close()
				defer pprof.StopCPUProfile()
			}
		}
	}
	// VALUEKIT_TRACE=FILE writes an execution trace of the command (which
	// goroutines ran when, the collector's cycles; go tool trace FILE):
	// where a command's wall time goes when the CPU profile does not say.
	if path := os.Getenv("VALUEKIT_TRACE"); path != "" {
		if f, err := os.Create(path); err == nil {
			if trace.Start(f) == nil {
				defer f.Close()
				defer trace.Stop()
			}
		}
	}
	code := runTerminal(ctx, os.Stdin, os.Stdout, os.Stderr, stderrIsTerminal(), os.Args[1:])
	stop()
	// VALUEKIT_MEMPROFILE=FILE writes the allocation profile of the
	// command (every allocation site and its bytes; go tool pprof
	// -sample_index=alloc_space).
	if path := os.Getenv("VALUEKIT_MEMPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			_ = pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
	}
	if code != 0 {
		pprof.StopCPUProfile()
		trace.Stop()
		os.Exit(code)
	}
}

// run executes the command line args with no standard input and returns
// the exit status.
func run(ctx context.Context, stdout, stderr io.Writer, args []string) int {
	return runIO(ctx, strings.NewReader(""), stdout, stderr, args)
}

// runIO is run with a standard input, which a command reads when its FILE
// is "-" (CSV events, plain or gzip-compressed).
func runIO(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer, args []string) int {
	return runTerminal(ctx, stdin, stdout, stderr, false, args)
}

// runTerminal is runIO with progress bars when terminal is set.
func runTerminal(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer, terminal bool, args []string) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, terminal: terminal}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) > 1 {
			return runIO(ctx, stdin, stdout, stderr, []string{args[1], "--help"})
		}
		printUsage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, new(usageError)):
			fmt.Fprintf(stderr, "valuekit %s: %v\nRun 'valuekit %s --help' for usage.\n", c.name, err, c.name)
			return 2
		case errors.Is(err, context.Canceled) && ctx.Err() != nil:
			fmt.Fprintf(stderr, "valuekit %s: interrupted\n", c.name)
			return 130 // 128 + SIGINT, as shells report an interrupted command
		default:
			fmt.Fprintf(stderr, "valuekit %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "valuekit: unknown command %q\n\n", args[0])
	printUsage(stderr)
	return 2
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, "valuekit computes customer-value figures from an export of customer events.\n\nUsage:\n\n\tvaluekit <command> [flags] FILE\n\nCommands:\n\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "\t%-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nFILE \"-\" reads CSV events from standard input.\nRun 'valuekit <command> --help' for a command's flags.\n")
}
