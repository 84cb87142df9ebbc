package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/segment"
)

// Options configure a Server.
type Options struct {
	// Unit is the time unit of the summaries and models (default week).
	Unit valuekit.Unit
	// Horizon of expected purchases and CLV in Unit (default one year).
	Horizon float64
	// AnnualDiscount is the yearly discount rate of CLV (e.g. 0.1).
	AnnualDiscount float64
	// Model and Spend, when set, are used as they are (e.g. loaded with
	// clv.LoadModel) until the first refit; otherwise they are fitted at
	// start.
	Model clv.TransactionModel
	Spend *clv.GammaGamma
	// MaxBody is the largest request body accepted, in bytes (default 1 MiB).
	MaxBody int64
}

// Server keeps every customer's state in a valuekit.Accumulator, so that
// each new event changes that customer's numbers at once: the per-customer
// summary is a merge of all their events so far, and a customer's P(alive),
// expected purchases and CLV are computed from it on each request. Models
// and the A/B/C tier thresholds change only when refitted.
type Server struct {
	opts Options

	mu  sync.RWMutex // guards acc (Add writes; summaries read)
	acc *valuekit.Accumulator

	fit     sync.Mutex // one refit at a time
	modelMu sync.RWMutex
	model   clv.TransactionModel
	spend   *clv.GammaGamma
	tiers   *segment.Tiering
	fitted  time.Time
}

// NewServer returns a server holding events, with the models of opts or
// models fitted to events.
func NewServer(ctx context.Context, events *valuekit.Events, opts Options) (*Server, error) {
	if opts.Horizon == 0 {
		opts.Horizon = analysis.DefaultHorizon(opts.Unit)
	}
	if opts.MaxBody == 0 {
		opts.MaxBody = 1 << 20
	}
	acc, err := valuekit.NewAccumulator(&valuekit.SummaryOptions{Unit: opts.Unit})
	if err != nil {
		return nil, err
	}
	if err := acc.Add(events); err != nil {
		return nil, err
	}
	s := &Server{opts: opts, acc: acc, model: opts.Model, spend: opts.Spend}
	if err := s.Refit(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Refit fits BG/NBD and Gamma-Gamma to every customer's current summary
// and recomputes the A/B/C tier thresholds of CLV. At start, models given
// in Options are kept and only the thresholds are computed.
func (s *Server) Refit(ctx context.Context) error {
	s.fit.Lock()
	defer s.fit.Unlock()
	s.mu.RLock()
	sum, err := s.acc.Summary()
	s.mu.RUnlock()
	if err != nil {
		return err
	}
	s.modelMu.RLock()
	po := s.predictOptions(s.model, s.spend)
	first := s.fitted.IsZero()
	s.modelMu.RUnlock()
	if !first || po.Model == nil {
		po.Model, po.ModelName, po.Spend = nil, clv.NameBGNBD, analysis.Spend{Fit: true}
	}
	p, err := analysis.Predict(ctx, sum, po)
	if err != nil {
		return err
	}
	tiers, err := segment.Tiers(p.CLV, nil)
	if err != nil {
		return err
	}
	s.modelMu.Lock()
	s.model, s.spend, s.tiers, s.fitted = p.Model, p.SpendModel, tiers, time.Now()
	s.modelMu.Unlock()
	return nil
}

func (s *Server) predictOptions(m clv.TransactionModel, spend *clv.GammaGamma) analysis.PredictOptions {
	return analysis.PredictOptions{
		Model:        m,
		Spend:        analysis.Spend{Model: spend},
		Horizon:      s.opts.Horizon,
		DiscountRate: analysis.AnnualRate(s.opts.AnnualDiscount, s.opts.Unit, false),
		// A service answers for one customer: no intervals.
		Intervals: 0,
		Report:    func(string) {},
	}
}

// Handler routes the service's endpoints:
//
//	POST /events           a JSON array of events; all are added or none
//	GET  /customers/{id}   the customer's summary and predictions
//	POST /refit            refit the models and tier thresholds
//	GET  /healthz          liveness
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /events", s.postEvents)
	mux.HandleFunc("GET /customers/{id}", s.getCustomer)
	mux.HandleFunc("POST /refit", s.postRefit)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	return mux
}

// EventJSON is one event of POST /events.
type EventJSON struct {
	CustomerID string        `json:"customer_id"`
	Time       time.Time     `json:"time"`
	Kind       valuekit.Kind `json:"kind"`
	Amount     float64       `json:"amount"`
	ReferredID string        `json:"referred_id,omitempty"`
	Score      *float64      `json:"score,omitempty"`
}

func (s *Server) postEvents(w http.ResponseWriter, r *http.Request) {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.opts.MaxBody))
	dec.DisallowUnknownFields()
	var in []EventJSON
	if err := dec.Decode(&in); err != nil {
		fail(w, http.StatusBadRequest, fmt.Errorf("the body must be a JSON array of events {customer_id, time, kind, amount}: %w", err))
		return
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		fail(w, http.StatusBadRequest, errors.New("the body holds more than one JSON value"))
		return
	}
	rows := make([]valuekit.Event, len(in))
	for i, e := range in {
		rows[i] = valuekit.Event{CustomerID: e.CustomerID, Time: e.Time, Kind: e.Kind, Amount: e.Amount, ReferredID: e.ReferredID, Score: e.Score}
	}
	ev, err := valuekit.NewEvents(rows)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	s.mu.Lock()
	err = s.acc.Add(ev)
	s.mu.Unlock()
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]int{"added": ev.Len()})
}

// CustomerJSON is the answer of GET /customers/{id}.
type CustomerJSON struct {
	CustomerID        string    `json:"customer_id"`
	Frequency         float64   `json:"frequency"`
	Recency           float64   `json:"recency"`
	T                 float64   `json:"T"`
	Unit              string    `json:"unit"`
	NetRevenue        float64   `json:"net_revenue"`
	PAlive            float64   `json:"p_alive"`
	ExpectedPurchases float64   `json:"expected_purchases"`
	CLV               float64   `json:"clv"`
	Horizon           float64   `json:"horizon"`
	Tier              string    `json:"tier"`
	ModelsFitted      time.Time `json:"models_fitted"`
}

func (s *Server) getCustomer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.RLock()
	sum, err := s.acc.CustomerSummary(id)
	s.mu.RUnlock()
	if errors.Is(err, valuekit.ErrUnknownCustomer) {
		fail(w, http.StatusNotFound, err)
		return
	}
	if err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	s.modelMu.RLock()
	po := s.predictOptions(s.model, s.spend)
	tiers, fitted := s.tiers, s.fitted
	s.modelMu.RUnlock()
	out := CustomerJSON{CustomerID: id, Frequency: sum.Frequency[0], Recency: sum.Recency[0], T: sum.T[0],
		Unit: s.opts.Unit.String(), NetRevenue: sum.NetRevenue[0], Horizon: s.opts.Horizon, ModelsFitted: fitted}
	if sum.Purchases[0] > 0 {
		p, err := analysis.Predict(r.Context(), sum, po)
		if err != nil {
			fail(w, http.StatusInternalServerError, err)
			return
		}
		out.PAlive, out.ExpectedPurchases, out.CLV = p.PAlive[0], p.ExpectedPurchases[0], p.CLV[0]
	}
	out.Tier = tiers.Names[len(tiers.Names)-1]
	for t, min := range tiers.Thresholds {
		if out.CLV >= min {
			out.Tier = tiers.Names[t]
			break
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) postRefit(w http.ResponseWriter, r *http.Request) {
	if err := s.Refit(r.Context()); err != nil {
		fail(w, http.StatusUnprocessableEntity, err)
		return
	}
	s.modelMu.RLock()
	defer s.modelMu.RUnlock()
	writeJSON(w, http.StatusOK, map[string]any{"model": s.model, "spend": s.spend, "fitted": s.fitted})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}
