package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/sampledata"
)

func newTestServer(t testing.TB) *Server {
	t.Helper()
	ev, err := valuekit.ReadCSV(sampledata.CDNOW(), "cdnow_sample.csv", nil)
	require.NoError(t, err)
	s, err := NewServer(context.Background(), ev, Options{Unit: valuekit.Week, AnnualDiscount: 0.1})
	require.NoError(t, err)
	return s
}

func do(t testing.TB, h http.Handler, method, path, body string) (int, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader(body)))
	var out map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
	return rec.Code, out
}

// A purchase changes the customer's numbers on the next request: one more
// repeat purchase, recency = T, P(alive) and CLV up.
func TestCustomerChangesWhenTheyBuy(t *testing.T) {
	h := newTestServer(t).Handler()
	code, before := do(t, h, "GET", "/customers/1", "")
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, 3.0, before["frequency"])
	assert.Equal(t, "week", before["unit"])
	assert.Equal(t, 52.0, before["horizon"])

	code, out := do(t, h, "POST", "/events", `[{"customer_id":"1","time":"1998-06-30T12:00:00Z","kind":"purchase","amount":30}]`)
	require.Equal(t, http.StatusAccepted, code, out)
	assert.Equal(t, 1.0, out["added"])
	_, after := do(t, h, "GET", "/customers/1", "")
	assert.Equal(t, 4.0, after["frequency"])
	assert.Equal(t, after["T"], after["recency"])
	assert.Greater(t, after["p_alive"].(float64), before["p_alive"].(float64))
	assert.Greater(t, after["clv"].(float64), before["clv"].(float64))
	assert.Equal(t, before["models_fitted"], after["models_fitted"], "models change only on refit")

	// A new customer is known from their first event.
	code, _ = do(t, h, "POST", "/events", `[{"customer_id":"new-1","time":"1998-06-01T00:00:00Z","kind":"purchase","amount":12.5}]`)
	require.Equal(t, http.StatusAccepted, code)
	code, c := do(t, h, "GET", "/customers/new-1", "")
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, 0.0, c["frequency"])
	assert.InDelta(t, 1.0, c["p_alive"], 1e-12, "one purchase: alive")

	// Refit moves the fit time and keeps answering.
	code, fit := do(t, h, "POST", "/refit", "")
	require.Equal(t, http.StatusOK, code, fit)
	assert.Equal(t, "bgnbd", fit["model"].(map[string]any)["model"])
	_, again := do(t, h, "GET", "/customers/1", "")
	assert.NotEqual(t, after["models_fitted"], again["models_fitted"])
}

func TestBadRequests(t *testing.T) {
	h := newTestServer(t).Handler()
	tests := []struct {
		name, method, path, body string
		code                     int
		contains                 string
	}{
		{"unknown customer", "GET", "/customers/nobody", "", http.StatusNotFound, `unknown customer: "nobody"`},
		{"not JSON", "POST", "/events", `{bad`, http.StatusBadRequest, "JSON array of events"},
		{"an object, not an array", "POST", "/events", `{"customer_id":"1"}`, http.StatusBadRequest, "JSON array"},
		{"unknown field", "POST", "/events", `[{"customer_id":"1","when":"x"}]`, http.StatusBadRequest, `unknown field "when"`},
		{"unknown kind", "POST", "/events", `[{"customer_id":"1","time":"1998-01-01T00:00:00Z","kind":"gift"}]`, http.StatusBadRequest, "unknown event kind"},
		{"two values", "POST", "/events", `[] []`, http.StatusBadRequest, "more than one JSON value"},
		{"empty id", "POST", "/events", `[{"customer_id":"1","time":"1998-01-01T00:00:00Z","kind":"purchase"},{"customer_id":"","time":"1998-01-01T00:00:00Z","kind":"purchase"}]`, http.StatusBadRequest, `row 2, column "customer_id"`},
		{"time out of range", "POST", "/events", `[{"customer_id":"1","time":"0001-01-01T00:00:00Z","kind":"purchase"}]`, http.StatusBadRequest, "supported time range"},
		{"too large", "POST", "/events", "[" + strings.Repeat(" ", 2<<20) + "]", http.StatusBadRequest, "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out := do(t, h, tt.method, tt.path, tt.body)
			assert.Equal(t, tt.code, code)
			assert.Contains(t, out["error"], tt.contains)
		})
	}
	// A rejected batch adds nothing: customer 1 is unchanged.
	_, c := do(t, h, "GET", "/customers/1", "")
	assert.Equal(t, 3.0, c["frequency"])
}

// Concurrent posts, reads and a refit (run under -race): every event is
// counted once.
func TestConcurrentRequests(t *testing.T) {
	h := newTestServer(t).Handler()
	const writers, each = 4, 25
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range each {
				body := fmt.Sprintf(`[{"customer_id":"c%d","time":"1998-06-%02dT10:00:00Z","kind":"purchase","amount":%d}]`, w, 1+i, 10+i)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("POST", "/events", strings.NewReader(body)))
				assert.Equal(t, http.StatusAccepted, rec.Code, rec.Body.String())
			}
		}()
		go func() {
			defer wg.Done()
			for range each {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", fmt.Sprintf("/customers/%d", 1+w), nil))
				assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("POST", "/refit", nil))
		assert.Equal(t, http.StatusOK, rec.Code)
	}()
	wg.Wait()
	for w := range writers {
		_, c := do(t, h, "GET", fmt.Sprintf("/customers/c%d", w), "")
		assert.Equal(t, float64(each-1), c["frequency"], "c%d", w)
	}
}

// run serves until its context ends and then shuts down gracefully.
func TestRunGracefulShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	var logs bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, &syncWriter{w: &logs}, []string{"-addr", "127.0.0.1:0"}, ready) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatal(err)
	case <-time.After(30 * time.Second):
		t.Fatal("not ready")
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	require.NoError(t, err)
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	cancel()
	require.NoError(t, <-done)

	// Bad flags are errors, not a server.
	assert.Error(t, run(context.Background(), io.Discard, []string{"-unit", "fortnight"}, nil))
	assert.Error(t, run(context.Background(), io.Discard, []string{"-model", "missing.json", "-spend-model", "missing.json"}, nil))
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// BenchmarkGetCustomer measures GET /customers/{id} through the handler
// (no network): summary lookup, prediction and JSON.
func BenchmarkGetCustomer(b *testing.B) {
	h := newTestServer(b).Handler()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", fmt.Sprintf("/customers/%d", 1+i%2357), nil))
			if rec.Code != http.StatusOK {
				b.Fatal(rec.Body.String())
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
