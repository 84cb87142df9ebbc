package report

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/valuekit/valuekit/clv"
)

// modelTitle returns the literature's name of a model.
func modelTitle(name string) string {
	switch name {
	case clv.NameBGNBD:
		return "BG/NBD"
	case clv.NameParetoNBD:
		return "Pareto/NBD"
	case clv.NameMBGNBD:
		return "MBG/NBD"
	case clv.NameBGBB:
		return "BG/BB"
	case clv.NameGammaGamma:
		return "Gamma-Gamma"
	case clv.NameSBG:
		return "sBG"
	}
	return name
}

// modelNames replaces the models' code names in the library's messages
// by the literature's names.
var modelNames = strings.NewReplacer(clv.NameMBGNBD, "MBG/NBD", clv.NameBGNBD, "BG/NBD", clv.NameParetoNBD, "Pareto/NBD")

// paramTitle returns a parameter's symbol for display.
func paramTitle(name string) string {
	switch name {
	case "alpha":
		return "α"
	case "beta":
		return "β"
	case "gamma":
		return "γ"
	case "delta":
		return "δ"
	case "v":
		return "γ (v)"
	}
	return name
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func trimPrefix(s, p string) string { return strings.TrimPrefix(s, p) }

// groupDigits writes the digits of a non-negative whole number string in
// groups of three.
func groupDigits(s string) string {
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	lead := len(s) % 3
	if lead > 0 {
		b.WriteString(s[:lead])
	}
	for i := lead; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// fmtInt writes an integer with thousands separators.
func fmtInt(n int) string {
	if n < 0 {
		return "−" + groupDigits(strconv.Itoa(-n))
	}
	return groupDigits(strconv.Itoa(n))
}

// fmtFixed writes v with prec decimals and thousands separators.
func fmtFixed(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', prec, 64)
	whole, frac, _ := strings.Cut(s, ".")
	out := groupDigits(whole)
	if frac != "" {
		out += "." + frac
	}
	if v < 0 && strings.Trim(s, "0.") != "" {
		out = "−" + out
	}
	return out
}

// fmtCount writes a count that may be weighted: whole numbers without
// decimals.
func fmtCount(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmtInt(int(v))
	}
	return fmtFixed(v, 1)
}

// fmtNum writes v with about 4 significant digits, in plain notation for
// ordinary magnitudes.
func fmtNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	a := math.Abs(v)
	switch {
	case a == 0:
		return "0"
	case a >= 1e6 || a < 1e-3:
		s := strconv.FormatFloat(v, 'e', 3, 64)
		mant, exp, _ := strings.Cut(s, "e")
		mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
		e, _ := strconv.Atoi(exp)
		return strings.Replace(mant, "-", "−", 1) + " × 10" + superscript(e)
	case a >= 1000:
		return fmtFixed(v, 1)
	}
	s := strconv.FormatFloat(v, 'g', 4, 64)
	return strings.Replace(s, "-", "−", 1)
}

func superscript(e int) string {
	const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹"
	d := []rune(digits)
	var b strings.Builder
	if e < 0 {
		b.WriteRune('⁻')
		e = -e
	}
	for _, c := range strconv.Itoa(e) {
		b.WriteRune(d[c-'0'])
	}
	return b.String()
}

// fmtMoney writes an amount with two decimals and the currency.
func fmtMoney(v float64, currency string) string {
	s := fmtFixed(v, 2)
	if currency == "" {
		return s
	}
	return currency + " " + s
}

// fmtPct writes a share as a percentage with one decimal.
func fmtPct(share float64) string {
	if math.IsNaN(share) || math.IsInf(share, 0) {
		return "–"
	}
	return fmtFixed(100*share, 1) + " %"
}

// fmtSignedPct writes a share as a signed percentage.
func fmtSignedPct(share float64) string {
	s := fmtPct(share)
	if share > 0 {
		return "+" + s
	}
	return s
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.UTC().Format(time.DateOnly)
}

// plural returns the unit word for n of them.
func plural(unit string, n float64) string {
	if n == 1 {
		return unit
	}
	return unit + "s"
}
