package pipeline

import (
	"context"
	"math"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/stats"

	// Local paths for input and output; other filesystems (gcs, s3) are
	// imported by the program that runs the pipeline.
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/segment"
)

func init() {
	register.DoFn3x1[context.Context, fileio.ReadableFile, func(fileRange), error](&splitFn{})
	register.Emitter1[fileRange]()
	register.DoFn5x1[context.Context, fileRange, func(int, *valuekit.Accumulator), func(string), func(int64), error](&readFn{})
	register.Emitter2[int, *valuekit.Accumulator]()
	register.Emitter1[string]()
	register.Emitter1[int64]()
	register.Combiner1[*valuekit.Accumulator](&mergeFn{})
	register.DoFn4x2[int, *valuekit.Accumulator, int64, func(int, Pairs), Histogram, error](&histogramFn{})
	register.Emitter2[int, Pairs]()
	register.Combiner1[Histogram](&mergeHistogramsFn{})
	register.DoFn2x2[context.Context, Histogram, string, error](&fitFn{})
	register.DoFn8x1[context.Context, int, func(**valuekit.Accumulator) bool, func(*Pairs) bool, int64, string, func(int, Scored), func(int, Credits), error](&scoreFn{})
	register.Iter1[*valuekit.Accumulator]()
	register.Iter1[Pairs]()
	register.Emitter2[int, Scored]()
	register.Emitter2[int, Credits]()
	register.DoFn5x2[context.Context, int, func(*Scored) bool, func(*Credits) bool, string, int, error](&writeFn{})
	register.Iter1[Scored]()
	register.Iter1[Credits]()
	for _, sc := range cutSchemes {
		sc.register()
	}
	register.Combiner1[segment.PortfolioSums](&mergePortfolioSumsFn{})
	register.DoFn2x1[context.Context, segment.PortfolioSums, error](&writePortfolioFn{})
	register.DoFn2x1[context.Context, string, error](&writeModelsFn{})
	register.Function2x1(endOf)
}

// Result holds the pipeline's outputs as collections, for callers that add
// steps of their own.
type Result struct {
	// Models is a single JSON document of the fitted models (see Models).
	Models beam.PCollection
	// Scored holds, per shard, the number of customers written (with
	// their referral value).
	Scored beam.PCollection
	// DeadLetters holds the bad rows as CSV records: file, row, column,
	// value, reason.
	DeadLetters beam.PCollection
}

// Build adds the pipeline to s: read, accumulate by customer shard, fit,
// score and write (see the package documentation).
func Build(s beam.Scope, o Options) (*Result, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	s = s.Scope("valuekit")
	files := fileio.ReadMatches(s, fileio.MatchFiles(s, o.Input, fileio.MatchEmptyDisallow()), fileio.ReadUncompressed())
	// Large plain CSV files are cut into ranges read by different workers;
	// the reshuffle spreads them out.
	ranges := beam.Reshuffle(s, beam.ParDo(s, &splitFn{O: o}, files))
	parts, dead, latest := beam.ParDo3(s, &readFn{O: o}, ranges)
	shards := beam.CombinePerKey(s, &mergeFn{O: o}, parts)

	// The common end: the option, or the latest event of all files.
	var fixed int64 = math.MinInt64
	if !o.end().IsZero() {
		fixed = o.end().UnixMicro()
	}
	end := beam.ParDo(s, endOf, stats.Max(s, latest), beam.SideInput{Input: beam.Create(s, fixed)})

	hist, pairs := beam.ParDo2(s, &histogramFn{O: o}, shards, beam.SideInput{Input: end})
	models := beam.ParDo(s, &fitFn{O: o}, beam.Combine(s, &mergeHistogramsFn{}, hist))
	beam.ParDo0(s, &writeModelsFn{O: o}, models)

	// Score each shard with the pairs whose referred customer it holds;
	// join the credits to the referrers' shards and write.
	customers, credits := beam.ParDo2(s, &scoreFn{O: o}, beam.CoGroupByKey(s, shards, pairs),
		beam.SideInput{Input: end}, beam.SideInput{Input: models})
	scored := beam.ParDo(s, &writeFn{O: o}, beam.CoGroupByKey(s, customers, credits), beam.SideInput{Input: models})

	if sc, ok := cutSchemes[o.Segments]; ok {
		// A/B/C tiers of CLV with global thresholds (tiers.go), CLV ×
		// experience at the global medians (quadrant.go), RFM quintiles
		// at global cuts (rfm.go).
		sc.apply(s, o, customers)
	}
	textio.Write(s, o.Output+"-dead-letters.csv", dead)
	return &Result{Models: models, Scored: scored, DeadLetters: dead}, nil
}

// endOf returns the end to summarise to: the fixed end when there is one,
// else the latest event.
func endOf(latest, fixed int64) int64 {
	if fixed != math.MinInt64 {
		return fixed
	}
	return latest
}
