package pipeline

import (
	"context"
	"fmt"

	"github.com/valuekit/valuekit/segment"
)

// The per-segment portfolio (Options.Segments "abc" and "quadrant"):
// valuekit segment --scheme abc|quadrant --profit clv --model … --portfolio.
// Once the cuts are known, every shard classifies its customers as the
// segment files do and sums them into a segment.PortfolioSums (customers,
// CLV, P(alive), value at risk, expected loss, expected next value per
// segment — a few numbers per segment, whatever the customers); a global
// combine merges the shards' sums with PortfolioSums.Merge and one worker
// turns them into the portfolio with the budget allocated
// (PortfolioSums.Portfolio, the arithmetic of segment.NewPortfolio) and
// writes OUTPUT-portfolio.csv and OUTPUT-portfolio.json with the root
// module's table writers — the CLI's columns.
//
// The inputs are the CLI's: the value is the CLV, the next-period value
// the CLV too, and P(alive) the model's, with customers without a purchase
// in the period (unscored: CLV 0) counted as P(alive) 1, as
// analysis.ModelValues does. The sums are compensated, so the figures
// equal the one-machine portfolio's within a few ulps (1e-12 relative for
// sums of one sign), whatever the shards and merge order.

// portfolioSumsOf sums a shard's customers in their segments a.
func portfolioSumsOf(sc Scored, a segment.Assignment, o Options) (segment.PortfolioSums, error) {
	alive := make([]float64, len(sc.CLV))
	for i := range alive {
		alive[i] = 1
		if sc.Scored[i] {
			alive[i] = sc.PAlive[i]
		}
	}
	s, err := segment.NewPortfolioSums(a.Names, true, true, o.AtRisk)
	if err != nil {
		return segment.PortfolioSums{}, err
	}
	if err := s.Add(a, sc.CLV, alive, sc.CLV); err != nil {
		return segment.PortfolioSums{}, err
	}
	return *s, nil
}

// tierPortfolioFn sums a shard's customers by A/B/C tier.
type tierPortfolioFn struct {
	O Options
}

func (f *tierPortfolioFn) ProcessElement(_ context.Context, shard int, sc Scored, tiers Tiers) (segment.PortfolioSums, error) {
	s, err := portfolioSumsOf(sc, tierAssignment(sc.CLV, tiers), f.O)
	if err != nil {
		return s, fmt.Errorf("shard %d: portfolio: %w", shard, err)
	}
	return s, nil
}

// quadrantPortfolioFn sums a shard's customers by quadrant.
type quadrantPortfolioFn struct {
	O Options
}

func (f *quadrantPortfolioFn) ProcessElement(_ context.Context, shard int, sc Scored, cuts QuadCuts) (segment.PortfolioSums, error) {
	a, _, err := quadrantAssignment(sc, cuts)
	if err != nil {
		return segment.PortfolioSums{}, fmt.Errorf("shard %d: portfolio: %w", shard, err)
	}
	s, err := portfolioSumsOf(sc, a, f.O)
	if err != nil {
		return s, fmt.Errorf("shard %d: portfolio: %w", shard, err)
	}
	return s, nil
}

// mergePortfolioSumsFn merges the shards' portfolio sums.
type mergePortfolioSumsFn struct{}

func (mergePortfolioSumsFn) MergeAccumulators(a, b segment.PortfolioSums) (segment.PortfolioSums, error) {
	if err := a.Merge(&b); err != nil {
		return a, fmt.Errorf("portfolio: %w", err)
	}
	return a, nil
}

// writePortfolioFn writes OUTPUT-portfolio.csv and OUTPUT-portfolio.json.
type writePortfolioFn struct {
	O Options
}

func (f *writePortfolioFn) ProcessElement(ctx context.Context, s segment.PortfolioSums) error {
	rule, err := segment.ParseAllocation(f.O.allocation())
	if err != nil {
		return err
	}
	p, err := s.Portfolio(f.O.Budget, rule)
	if err != nil {
		return fmt.Errorf("portfolio: %w", err)
	}
	t := p.Table()
	if err := writeFile(ctx, f.O.Output+"-portfolio.csv", t.WriteCSV); err != nil {
		return err
	}
	return writeFile(ctx, f.O.Output+"-portfolio.json", t.WriteJSON)
}
