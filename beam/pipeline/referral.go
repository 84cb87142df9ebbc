package pipeline

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/customers"
)

// Referral value across shards.
//
// A referrer is credited with ReferralShare × the CLV of each customer they
// referred, split equally between a customer's distinct referrers; one
// level only; self-referrals are ignored, a referred customer without a row
// counts 0 (clv.ReferralValue's rules, which analysis.Predict applies on
// one machine). A referrer and the customers they referred may live in
// different shards, so the value is a join by customer:
//
//  1. every shard's summary emits its (referred, referrer) pairs keyed by
//     the shard of the referred customer (pairsOf);
//  2. the shard of the referred customers, which scores them, groups the
//     pairs by referred customer and emits one credit per distinct
//     referrer, share × CLV / k, keyed by the shard of the referrer
//     (credits);
//  3. the referrer's shard sums its credits per customer before writing and
//     adds the total value (addReferralValue).
//
// Only pairs and credits cross the shuffle: their number is the number of
// referrals, not of customers. They travel in batches, one per pair of
// (sending, receiving) shards, so a runner handles at most Shards² elements
// however many referrals there are.

// Pair is one referral: Referrer brought in Referred.
type Pair struct {
	Referred, Referrer string
}

// Credit is the part of Referred's CLV credited to Referrer.
type Credit struct {
	Referrer, Referred string
	Value              float64
}

// Pairs and Credits are batches of pairs and credits bound for one shard.
type (
	Pairs   struct{ List []Pair }
	Credits struct{ List []Credit }
)

// batches collects elements by destination shard and emits one batch per
// shard that received any.
type batches[T any] struct {
	by [][]T
}

func newBatches[T any](shards int) *batches[T] { return &batches[T]{by: make([][]T, shards)} }

func (b *batches[T]) add(shard int, v T) { b.by[shard] = append(b.by[shard], v) }

func (b *batches[T]) emit(f func(int, []T)) {
	for k, list := range b.by {
		if len(list) > 0 {
			f(k, list)
		}
	}
}

// flatten iterates over the elements of a shuffle's batches.
func flatten[B, T any](next func(*B) bool, list func(B) []T) func(*T) bool {
	var cur []T
	return func(v *T) bool {
		for len(cur) == 0 {
			var b B
			if !next(&b) {
				return false
			}
			cur = list(b)
		}
		*v, cur = cur[0], cur[1:]
		return true
	}
}

// pairsOf emits the referral pairs of a summary's customers, without
// self-referrals (Summary.Referred lists distinct customers).
func pairsOf(s *customers.Summary, emit func(Pair)) {
	for i, list := range s.Referred {
		for _, r := range list {
			if r != s.CustomerID[i] {
				emit(Pair{Referred: r, Referrer: s.CustomerID[i]})
			}
		}
	}
}

// credits reads the pairs whose referred customer belongs to this shard
// (ids and clv: the shard's customers, in summary order) and emits each
// distinct referrer's credit. Credits of 0 (a referred customer without a
// row or with CLV 0) are not emitted: they add nothing.
func credits(ids []string, clv []float64, pairs func(*Pair) bool, share float64, emit func(Credit)) {
	var all []Pair
	var p Pair
	for pairs(&p) {
		all = append(all, p)
	}
	if len(all) == 0 {
		return
	}
	slices.SortFunc(all, func(a, b Pair) int {
		return cmp.Or(cmp.Compare(a.Referred, b.Referred), cmp.Compare(a.Referrer, b.Referrer))
	})
	all = slices.Compact(all)
	// The referred customers' rows: a map of the (few) referred ids only.
	row := map[string]int{}
	for _, p := range all {
		row[p.Referred] = -1
	}
	for i, id := range ids {
		if _, ok := row[id]; ok {
			row[id] = i
		}
	}
	for lo := 0; lo < len(all); {
		hi := lo
		for hi < len(all) && all[hi].Referred == all[lo].Referred {
			hi++
		}
		if i := row[all[lo].Referred]; i >= 0 && clv[i] != 0 {
			v := share * clv[i] / float64(hi-lo)
			for _, p := range all[lo:hi] {
				emit(Credit{Referrer: p.Referrer, Referred: p.Referred, Value: v})
			}
		}
		lo = hi
	}
}

// addReferralValue sets p's referral, total and (with valuePerShare > 0)
// share value columns from the credits to its customers: Total = CLV +
// referral + valuePerShare × shares, as clv.ReferralValue adds them.
// Credits are summed in the order of the referred customer's id, so a run
// gives the same bits whatever order the shuffle delivers them in.
func addReferralValue(p *analysis.Prediction, shares []int32, credits func(*Credit) bool, valuePerShare float64) error {
	n := len(p.CustomerID)
	if len(shares) != n {
		return fmt.Errorf("%d share counts for %d customers", len(shares), n)
	}
	var all []Credit
	var c Credit
	for credits(&c) {
		all = append(all, c)
	}
	slices.SortFunc(all, func(a, b Credit) int {
		return cmp.Or(cmp.Compare(a.Referrer, b.Referrer), compareIDs(a.Referred, b.Referred))
	})
	row := make(map[string]int, len(all))
	for _, c := range all {
		row[c.Referrer] = -1
	}
	for i, id := range p.CustomerID {
		if _, ok := row[id]; ok {
			row[id] = i
		}
	}
	p.ReferralValue, p.TotalValue = make([]float64, n), make([]float64, n)
	for _, c := range all {
		i := row[c.Referrer]
		if i < 0 {
			return fmt.Errorf("a credit to customer %q, who is not in this shard", c.Referrer)
		}
		p.ReferralValue[i] += c.Value
	}
	shareValue := make([]float64, n)
	for i := range n {
		shareValue[i] = valuePerShare * float64(shares[i])
		p.TotalValue[i] = p.CLV[i] + p.ReferralValue[i] + shareValue[i]
		if math.IsNaN(p.TotalValue[i]) || math.IsInf(p.TotalValue[i], 0) {
			return fmt.Errorf("customer %q: total value %v", p.CustomerID[i], p.TotalValue[i])
		}
	}
	if valuePerShare > 0 {
		p.ShareValue = shareValue
	}
	return nil
}

// compareIDs orders customer ids as summaries do: numeric ids by number,
// then by text.
func compareIDs(a, b string) int {
	if len(a) != len(b) && isDigits(a) && isDigits(b) {
		return cmp.Compare(len(a), len(b))
	}
	return cmp.Compare(a, b)
}

func isDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
