package pipeline

import (
	"context"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/valuekit/valuekit/segment"
)

// Segments at exact global cuts (Options.Segments abc, quadrant, rfm) take
// the same five steps: every shard's counts C are merged into brackets B
// of the cuts' ranks; the shards' values V in the brackets are merged
// into the exact cuts K; every shard writes its customers' segments at
// those cuts, and the segment counts N of the shards are merged and
// written as one summary (see quantile.go); for abc and quadrant, the
// shards' portfolio sums are merged too and written as the portfolio
// (portfolio.go). A cutScheme holds a scheme's
// functions, so that registering and wiring them is written once.
type cutScheme[C, B, V, K, N any] struct {
	counts      func(shard int, sc Scored) C
	mergeCounts any // a combiner of C
	brackets    func(C) B
	values      func(shard int, sc Scored, br B) V
	mergeValues any // a combiner of V
	cuts        func(V, B) (K, error)
	write       func(Options) cutWriter[K, N]
	mergeN      any // a combiner of N
	summary     func(Options) summaryWriter[K, N]
	// portfolio, when not nil, sums every shard's customers by segment
	// for the per-segment portfolio (portfolio.go).
	portfolio func(Options) cutWriter[K, segment.PortfolioSums]
}

// cutWriter writes a shard's customers with their segments at the cuts and
// returns the segment counts.
type cutWriter[K, N any] interface {
	ProcessElement(ctx context.Context, shard int, sc Scored, cuts K) (N, error)
}

// summaryWriter writes the merged segment counts with the cuts.
type summaryWriter[K, N any] interface {
	ProcessElement(ctx context.Context, counts N, cuts K) error
}

// segmentScheme is a cutScheme of any types.
type segmentScheme interface {
	register()
	apply(s beam.Scope, o Options, customers beam.PCollection)
}

// cutSchemes are the schemes of Options.Segments (tiers.go, quadrant.go,
// rfm.go).
var cutSchemes = map[string]segmentScheme{
	"abc": cutScheme[Sketch, Brackets, Bracketed, Tiers, TierCounts]{
		counts: sketchFn, mergeCounts: &mergeSketchesFn{}, brackets: bracketsFn,
		values: bracketedFn, mergeValues: &mergeBracketedFn{}, cuts: tiersFn,
		write:     func(o Options) cutWriter[Tiers, TierCounts] { return &writeTiersFn{O: o} },
		mergeN:    &mergeTierCountsFn{},
		summary:   func(o Options) summaryWriter[Tiers, TierCounts] { return &writeTierSummaryFn{O: o} },
		portfolio: func(o Options) cutWriter[Tiers, segment.PortfolioSums] { return &tierPortfolioFn{O: o} },
	},
	"quadrant": cutScheme[QuadCounts, QuadBrackets, QuadValues, QuadCuts, SegmentCounts]{
		counts: quadCountsFn, mergeCounts: &mergeQuadCountsFn{}, brackets: quadBracketsFn,
		values: quadValuesFn, mergeValues: &mergeQuadValuesFn{}, cuts: quadCutsFn,
		write:     func(o Options) cutWriter[QuadCuts, SegmentCounts] { return &writeQuadrantFn{O: o} },
		mergeN:    &mergeSegmentCountsFn{},
		summary:   func(o Options) summaryWriter[QuadCuts, SegmentCounts] { return &writeQuadrantSummaryFn{O: o} },
		portfolio: func(o Options) cutWriter[QuadCuts, segment.PortfolioSums] { return &quadrantPortfolioFn{O: o} },
	},
	"rfm": cutScheme[RFMCounts, RFMBrackets, RFMValues, RFMCuts, SegmentCounts]{
		counts: rfmCountsFn, mergeCounts: &mergeRFMCountsFn{}, brackets: rfmBracketsFn,
		values: rfmValuesFn, mergeValues: &mergeRFMValuesFn{}, cuts: rfmCutsFn,
		write:   func(o Options) cutWriter[RFMCuts, SegmentCounts] { return &writeRFMFn{O: o} },
		mergeN:  &mergeSegmentCountsFn{},
		summary: func(o Options) summaryWriter[RFMCuts, SegmentCounts] { return &writeRFMSummaryFn{O: o} },
	},
}

// register registers the scheme's functions with Beam (in init).
// Registering a type twice (SegmentCounts' combiner) is harmless.
func (c cutScheme[C, B, V, K, N]) register() {
	register.Function2x1(c.counts)
	register.Combiner1[C](c.mergeCounts)
	register.Function1x1(c.brackets)
	register.Function3x1(c.values)
	register.Combiner1[V](c.mergeValues)
	register.Function2x2(c.cuts)
	register.DoFn4x2[context.Context, int, Scored, K, N, error](c.write(Options{}))
	register.Combiner1[N](c.mergeN)
	register.DoFn3x1[context.Context, N, K, error](c.summary(Options{}))
	if c.portfolio != nil {
		register.DoFn4x2[context.Context, int, Scored, K, segment.PortfolioSums, error](c.portfolio(Options{}))
	}
}

// apply adds the scheme's steps on the scored customers to s.
func (c cutScheme[C, B, V, K, N]) apply(s beam.Scope, o Options, customers beam.PCollection) {
	brackets := beam.ParDo(s, c.brackets, beam.Combine(s, c.mergeCounts, beam.ParDo(s, c.counts, customers)))
	exact := beam.Combine(s, c.mergeValues, beam.ParDo(s, c.values, customers, beam.SideInput{Input: brackets}))
	cuts := beam.ParDo(s, c.cuts, exact, beam.SideInput{Input: brackets})
	counts := beam.ParDo(s, c.write(o), customers, beam.SideInput{Input: cuts})
	beam.ParDo0(s, c.summary(o), beam.Combine(s, c.mergeN, counts), beam.SideInput{Input: cuts})
	if c.portfolio != nil {
		sums := beam.ParDo(s, c.portfolio(o), customers, beam.SideInput{Input: cuts})
		beam.ParDo0(s, &writePortfolioFn{O: o}, beam.Combine(s, &mergePortfolioSumsFn{}, sums))
	}
}
