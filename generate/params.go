package generate

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/valuekit/valuekit/clv"
)

// ParseModel builds the transaction model name ("bgnbd" or "pnbd") from a
// parameter list such as "r=1,alpha=6,a=0.3,b=10" (Pareto/NBD: r, alpha,
// s, beta). Every parameter must be given once, as a positive finite
// number; the order does not matter.
func ParseModel(name, spec string) (clv.Model, error) {
	if name != clv.NameBGNBD && name != clv.NameParetoNBD {
		return nil, fmt.Errorf("generate: %w: model %q (want %s or %s)", ErrOption, name, clv.NameBGNBD, clv.NameParetoNBD)
	}
	return parseParams(name, spec)
}

// ParseSpend builds a Gamma-Gamma spend model from "p=6.25,q=3.74,v=15.44".
func ParseSpend(spec string) (*clv.GammaGamma, error) {
	m, err := parseParams(clv.NameGammaGamma, spec)
	if err != nil {
		return nil, err
	}
	return m.(*clv.GammaGamma), nil
}

func parseParams(name, spec string) (clv.Model, error) {
	probe, err := clv.NewModel(name, []float64{1, 1, 1, 1}[:paramCount(name)])
	if err != nil {
		return nil, err
	}
	names := probe.Params().Names
	values := make([]float64, len(names))
	seen := make([]bool, len(names))
	for _, item := range strings.Split(spec, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(item), "=")
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok || k == "" {
			return nil, fmt.Errorf("generate: %w: %q is not NAME=VALUE (%s takes %s)", ErrOption, item, name, strings.Join(names, ", "))
		}
		i := slices.Index(names, k)
		if i < 0 {
			return nil, fmt.Errorf("generate: %w: unknown parameter %q (%s takes %s)", ErrOption, k, name, strings.Join(names, ", "))
		}
		if seen[i] {
			return nil, fmt.Errorf("generate: %w: parameter %q given twice", ErrOption, k)
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || !(x > 0) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("generate: %w: %s = %q, want a positive number", ErrOption, k, strings.TrimSpace(v))
		}
		values[i], seen[i] = x, true
	}
	for i, ok := range seen {
		if !ok {
			return nil, fmt.Errorf("generate: %w: missing parameter %q (%s takes %s)", ErrOption, names[i], name, strings.Join(names, ", "))
		}
	}
	return clv.NewModel(name, values)
}

func paramCount(name string) int {
	if name == clv.NameGammaGamma {
		return 3
	}
	return 4
}
