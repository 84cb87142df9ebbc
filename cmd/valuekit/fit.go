package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/internal/atomicfile"
)

func runFit(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "fit", "fit FILE --model bgnbd|pnbd|mbgnbd|bgbb|sbg|gg [flags]\n\n"+
		"Fits a model by maximum likelihood and prints it as JSON. FILE is an event file (summarised with the\n"+
		"input flags), a summary file (columns frequency, recency, T [, monetary_value] [, weights]; for bgbb\n"+
		"frequency, recency, periods, weights), or for sbg a CSV with a column alive (or one count per line,\n"+
		"without a header): the customers still active at the start of each period, first the cohort size.\n"+
		"--summary prints a readable table instead of the JSON (parameter, estimate, standard error, 95%\n"+
		"interval; log-likelihood, n, AIC, BIC, converged), the JSON then going to -o only; --table FILE\n"+
		"writes that table as .csv, .parquet or .json (columns parameter, estimate, std_error, lower_95,\n"+
		"upper_95, log_likelihood, n, converged).")
	in := addInputFlags(fs)
	model := fs.String("model", "", "model: "+strings.Join(clv.ModelNames(), ", "))
	out := fs.String("o", "", "also write the model JSON to this file")
	summary := fs.Bool("summary", false, "print a readable fit summary (parameters with standard errors and 95% intervals, log-likelihood, n, converged) instead of the JSON; give -o to save the model")
	tableOut := fs.String("table", "", "write the parameter table (parameter, estimate, std_error, lower_95, upper_95, log_likelihood, n, converged) to this .csv, .parquet or .json file")
	path, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if !slices.Contains(clv.ModelNames(), *model) {
		return usagef("--model %q: want one of %s", *model, strings.Join(clv.ModelNames(), ", "))
	}
	if err := checkOutputName(*tableOut); err != nil {
		return usagef("--table: %v", err)
	}
	if err := checkOutputPath("--table", *tableOut, path); err != nil {
		return err
	}
	if err := checkOutputPath("-o", *out, path); err != nil {
		return err
	}
	m, err := fitModel(ctx, e, in, *model, path)
	if err != nil {
		return err
	}
	if *out != "" {
		if err := atomicfile.Write(*out, func(w io.Writer) error { return clv.SaveModel(w, m) }); err != nil {
			return err
		}
	}
	if *tableOut != "" {
		if err := valuekit.WriteTableFile(*tableOut, analysis.ParamTable(m)); err != nil {
			return err
		}
	}
	if *summary {
		if *out == "" {
			e.report("note: --summary prints no JSON: give -o FILE to save the model for predict")
		}
		if err := analysis.WriteFitText(e.stdout, m); err != nil {
			return err
		}
		_, err := fmt.Fprintln(e.stdout)
		return err
	}
	return clv.SaveModel(e.stdout, m)
}

// fitModel fits the named model to FILE.
func fitModel(ctx context.Context, e *env, in *inputFlags, name, path string) (clv.Model, error) {
	if name == clv.NameSBG {
		alive, err := readAliveSeries(e, path)
		if err != nil {
			return nil, err
		}
		m, err := clv.FitSBG(ctx, alive, nil)
		if err != nil {
			return nil, err
		}
		if in.unitSet { // the length of one period, when the caller says it
			unit, err := valuekit.ParseUnit(in.unit)
			if err != nil {
				return nil, usagef("--unit: %v", err)
			}
			m.Timing = clv.Timing{Unit: unit, HasUnit: true}
		}
		analysis.Warnings(m, e.report)
		return m, nil
	}
	in.modelColumns = true // the fit reads no other column of the summary
	s, err := in.loadSummary(ctx, e, path)
	if err != nil {
		return nil, err
	}
	return analysis.FitSummary(ctx, name, s, e.report)
}

// readAliveSeries reads the survivor series of an sBG fit: a CSV file with a
// column "alive" (or "survivors", or a single column).
func readAliveSeries(e *env, path string) ([]float64, error) {
	var b []byte
	var err error
	if path == "-" {
		b, err = io.ReadAll(e.stdin)
	} else {
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimPrefix(string(b), "\uFEFF"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("%s: an sBG fit needs at least two counts (alive at the start of each period), first the cohort size", path)
	}
	header := strings.Split(lines[0], ",")
	col := -1
	for i, h := range header {
		if h := strings.ToLower(strings.TrimSpace(h)); h == "alive" || h == "survivors" {
			col = i
		}
	}
	first, name := 1, "" // the first data line (0-based), the column's name
	if col >= 0 {
		name = strings.TrimSpace(header[col])
	} else {
		if len(header) != 1 {
			return nil, fmt.Errorf("%s: no column \"alive\" (customers still active at the start of each period)", path)
		}
		col = 0
		if _, err := strconv.ParseFloat(strings.TrimSpace(header[0]), 64); err == nil {
			first = 0 // a bare series without a header: the first line is the cohort size
		} else {
			name = strings.TrimSpace(header[0])
		}
	}
	if len(lines)-first < 2 {
		return nil, fmt.Errorf("%s: an sBG fit needs at least two counts (alive at the start of each period), first the cohort size; the file has %d", path, len(lines)-first)
	}
	var alive []float64
	for r, line := range lines[first:] {
		row := r + first + 1
		f := strings.Split(line, ",")
		if col >= len(f) {
			return nil, fmt.Errorf("%s: row %d: has %d fields, the header has %d", path, row, len(f), len(header))
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(f[col]), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			if name == "" {
				return nil, fmt.Errorf("%s: row %d: %q is not a number", path, row, f[col])
			}
			return nil, fmt.Errorf("%s: row %d, column %q: %q is not a number", path, row, name, f[col])
		}
		alive = append(alive, v)
	}
	return alive, nil
}
