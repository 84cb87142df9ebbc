package valuekit

import "time"

// Window returns the events with a time in [from, to), in their order, as a
// new table sharing e's Dictionary (so customer codes stay comparable). A
// zero from or to leaves that side open. Bad-row counts are not carried
// over. Summarising a window describes only the activity inside it, e.g.
// one quarter's customers for a segment migration.
func (e *Events) Window(from, to time.Time) *Events {
	lo, hi := int64(minMicros), int64(maxMicros)
	if !from.IsZero() {
		lo = from.UnixMicro()
	}
	if !to.IsZero() {
		hi = to.UnixMicro()
	}
	w := &Events{dict: e.dict}
	for i, t := range e.time {
		if t < lo || t >= hi {
			continue
		}
		w.customer = append(w.customer, e.customer[i])
		w.time = append(w.time, t)
		w.kind = append(w.kind, e.kind[i])
		w.amount = append(w.amount, e.amount[i])
		if e.cost != nil {
			w.cost = append(w.cost, e.cost[i])
		}
		if e.quantity != nil {
			w.quantity = append(w.quantity, e.quantity[i])
		}
		if e.referred != nil {
			w.referred = append(w.referred, e.referred[i])
		}
		if e.score != nil {
			w.score = append(w.score, e.score[i])
			w.hasScore = append(w.hasScore, e.hasScore[i])
		}
	}
	// Keep optional columns present (non-nil) when e has them, even if the
	// window is empty.
	if e.cost != nil && w.cost == nil {
		w.cost = []float64{}
	}
	if e.quantity != nil && w.quantity == nil {
		w.quantity = []float64{}
	}
	if e.referred != nil && w.referred == nil {
		w.referred = []int32{}
	}
	if e.score != nil && w.score == nil {
		w.score, w.hasScore = []float64{}, []bool{}
	}
	w.Rows = len(w.time)
	return w
}
