package generate

import (
	"math"
	"math/rand/v2"
)

// Event kinds as written (the names of valuekit.Kind).
const (
	kPurchase uint8 = iota
	kRefund         // not generated
	kReferral
	kShare
	kFeedback
)

var kindNames = [...]string{"purchase", "refund", "referral", "share", "feedback"}

// block holds the events of one block of customers as columns, customer
// by customer, each customer's events in time order.
type block struct {
	customer []int64
	time     []int64 // Unix seconds
	kind     []uint8
	cents    []int64   // amount in cents
	referred []int64   // referred customer id, 0 for none
	score    []float64 // 0 for none
	stats    Stats

	ev []event // one customer's events, before sorting
}

type event struct {
	t        int64 // Unix seconds
	kind     uint8
	cents    int64
	referred int64
	score    float64
}

func (b *block) reset() {
	b.customer, b.time, b.kind = b.customer[:0], b.time[:0], b.kind[:0]
	b.cents, b.referred, b.score = b.cents[:0], b.referred[:0], b.score[:0]
	b.stats = Stats{}
}

func (b *block) len() int { return len(b.customer) }

// splitmix is the SplitMix64 finaliser, a bijective 64-bit mixer.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// acquisition returns the time of customer i's first purchase (0-based),
// in Units after Start: the i-th of Customers equal strata of [0,
// horizon), at a uniform position within it. The position is a hash of
// the seed and i, so any block can compute any customer's acquisition.
func (p *plan) acquisition(i int64) float64 {
	u := float64(splitmix(p.acqHashKey^uint64(i))>>11) / (1 << 53)
	return (float64(i) + u) / float64(p.o.Customers) * p.horizon
}

// seconds converts a time in Units after Start to Unix seconds.
func (p *plan) seconds(t float64) int64 {
	return p.startSec + int64(math.Floor(t*p.unitSec))
}

// simulate fills b with the customers of block idx. Two random streams per
// block, both PCG seeded with the seed and the block index: one for
// purchases, dropout and spend, one for referrals, shares and feedback, so
// that the extra events do not change the purchase histories.
func (p *plan) simulate(idx int64, b *block) {
	b.reset()
	core := rand.New(rand.NewPCG(p.o.Seed, uint64(idx)<<1))
	extra := rand.New(rand.NewPCG(p.o.Seed, uint64(idx)<<1|1))
	first := idx * BlockSize
	last := min(first+BlockSize, p.o.Customers)
	for i := first; i < last; i++ {
		p.customer(i, core, extra, b)
	}
}

// customer simulates customer i (id i+1) into b.
func (p *plan) customer(i int64, core, extra *rand.Rand, b *block) {
	ev := b.ev[:0]
	t0 := p.acquisition(i)
	h := p.horizon

	// Purchases: the first at t0, repeats by a Poisson process with rate λ
	// until dropout or the end.
	var lambda, alive float64 // alive: end of the active time, in Units
	var dropP float64
	if p.bg != nil {
		lambda = gammaRand(core, p.bg.R, p.bg.Alpha)
		dropP = betaRand(core, p.bg.A, p.bg.B)
		alive = h
	} else {
		lambda = gammaRand(core, p.pnbd.R, p.pnbd.Alpha)
		mu := gammaRand(core, p.pnbd.S, p.pnbd.Beta)
		alive = min(h, t0+core.ExpFloat64()/mu)
	}
	nu := gammaRand(core, p.spend.Q, p.spend.V)
	spend := func() int64 {
		return max(1, int64(math.Round(gammaRand(core, p.spend.P, nu)*100)))
	}
	first := p.seconds(t0)
	ev = append(ev, event{t: first, kind: kPurchase, cents: spend()})
	lastDay, _ := floorDiv(first, 86400)
	if lambda > 0 {
		for t := t0 + core.ExpFloat64()/lambda; t < alive; t += core.ExpFloat64() / lambda {
			// Summaries count purchase days: a purchase on the day of the
			// previous one is recorded on the next day, so that the
			// summary's frequency is the model's count.
			sec := p.seconds(t)
			if d, _ := floorDiv(sec, 86400); d <= lastDay {
				sec += (lastDay + 1 - d) * 86400
			}
			if sec >= p.endSec {
				break
			}
			lastDay, _ = floorDiv(sec, 86400)
			ev = append(ev, event{t: sec, kind: kPurchase, cents: spend()})
			if p.bg != nil && core.Float64() < dropP {
				alive = t // BG/NBD: dropout right after a repeat purchase
				break
			}
		}
	}
	purchases := len(ev)
	b.stats.Purchases += int64(purchases)

	// Referrals and shares: Poisson processes over the active time.
	if r := p.o.ReferralRate; r > 0 {
		n := float64(p.o.Customers)
		prev := i // the last customer referred, or i itself
		for t := t0 + extra.ExpFloat64()/r; t < alive; t += extra.ExpFloat64() / r {
			j := int64(t / h * n)
			if j <= prev {
				j = prev + 1
			}
			prev = j
			if j >= p.o.Customers {
				break
			}
			ev = append(ev, event{t: p.seconds(p.acquisition(j)), kind: kReferral, referred: j + 1})
			b.stats.Referrals++
		}
	}
	if r := p.o.ShareRate; r > 0 {
		for t := t0 + extra.ExpFloat64()/r; t < alive; t += extra.ExpFloat64() / r {
			ev = append(ev, event{t: p.seconds(t), kind: kShare})
			b.stats.Shares++
		}
	}

	// Feedback: after a purchase with probability FeedbackProbability, on
	// average a day later; the score is the customer's own level plus
	// noise, rounded and clamped to 1–10.
	if p.o.Feedback {
		level := 1 + 9*betaRand(extra, 3, 1.2)
		for k := range purchases {
			if extra.Float64() >= FeedbackProbability {
				continue
			}
			t := ev[k].t + int64(extra.ExpFloat64()*86400)
			s := math.Round(level + extra.NormFloat64())
			if t >= p.endSec {
				continue
			}
			ev = append(ev, event{t: t, kind: kFeedback, score: min(10, max(1, s))})
			b.stats.Feedbacks++
		}
	}

	// Time order within the customer (insertion sort: the events are
	// nearly sorted); ties keep purchases first.
	for k := 1; k < len(ev); k++ {
		e := ev[k]
		m := k
		for m > 0 && (ev[m-1].t > e.t || ev[m-1].t == e.t && ev[m-1].kind > e.kind) {
			ev[m] = ev[m-1]
			m--
		}
		ev[m] = e
	}
	id := i + 1
	for _, e := range ev {
		b.customer = append(b.customer, id)
		b.time = append(b.time, e.t)
		b.kind = append(b.kind, e.kind)
		b.cents = append(b.cents, e.cents)
		b.referred = append(b.referred, e.referred)
		b.score = append(b.score, e.score)
	}
	b.stats.Customers++
	b.stats.Events += int64(len(ev))
	b.ev = ev
}

// gammaRand draws from Gamma(shape, rate) (mean shape/rate) by Marsaglia &
// Tsang's method, with the boost U^(1/shape) for shape < 1.
func gammaRand(rng *rand.Rand, shape, rate float64) float64 {
	boost := 1.0
	if shape < 1 {
		boost = math.Pow(rng.Float64(), 1/shape)
		shape++
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		x2 := x * x
		if u < 1-0.0331*x2*x2 || math.Log(u) < 0.5*x2+d*(1-v+math.Log(v)) {
			return d * v * boost / rate
		}
	}
}

// betaRand draws from Beta(a, b) as X/(X+Y) of two gamma draws.
func betaRand(rng *rand.Rand, a, b float64) float64 {
	x := gammaRand(rng, a, 1)
	y := gammaRand(rng, b, 1)
	if x+y == 0 {
		return 0.5
	}
	return x / (x + y)
}
