// Command service is a live scoring service built on valuekit: it loads or
// fits BG/NBD and Gamma-Gamma models, keeps every customer's state in the
// library's mergeable accumulator, accepts new events and answers with a
// customer's up-to-date P(alive), expected purchases, CLV and value tier —
// so a customer's numbers change the moment they buy.
//
//	go run ./examples/service                      # the embedded CDNOW sample, :8080
//	curl localhost:8080/customers/1
//	curl -X POST localhost:8080/events -d '[{"customer_id":"1","time":"1998-06-30T12:00:00Z","kind":"purchase","amount":30}]'
//	curl -X POST localhost:8080/refit
//
// Flags: -addr, -data FILE (events; default the embedded CDNOW sample),
// -unit, -horizon, -discount, -model FILE and -spend-model FILE (saved with
// `valuekit fit -o`). It stops gracefully on SIGINT/SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/sampledata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stderr, os.Args[1:], nil); err != nil {
		fmt.Fprintln(os.Stderr, "service:", err)
		os.Exit(1)
	}
}

// run serves until ctx is cancelled, then shuts down gracefully. ready, if
// not nil, receives the listening address.
func run(ctx context.Context, logw io.Writer, args []string, ready chan<- string) error {
	fs := flag.NewFlagSet("service", flag.ContinueOnError)
	fs.SetOutput(logw)
	addr := fs.String("addr", "localhost:8080", "listen address")
	data := fs.String("data", "", "events file (default: the embedded CDNOW sample)")
	unitName := fs.String("unit", "week", "time unit: day, week, month or year")
	horizon := fs.Float64("horizon", 0, "horizon in units (default one year)")
	discount := fs.Float64("discount", 0.1, "annual discount rate")
	modelFile := fs.String("model", "", "saved transaction model (JSON) to start with")
	spendFile := fs.String("spend-model", "", "saved Gamma-Gamma model (JSON) to start with")
	if err := fs.Parse(args); err != nil {
		return err
	}
	unit, err := valuekit.ParseUnit(*unitName)
	if err != nil {
		return err
	}
	var ev *valuekit.Events
	if *data == "" {
		ev, err = valuekit.ReadCSV(sampledata.CDNOW(), "cdnow_sample.csv", nil)
	} else {
		ev, err = valuekit.ReadFile(*data, nil)
	}
	if err != nil {
		return err
	}
	opts := Options{Unit: unit, Horizon: *horizon, AnnualDiscount: *discount}
	if opts.Model, opts.Spend, err = loadModels(*modelFile, *spendFile); err != nil {
		return err
	}
	logger := log.New(logw, "", log.LstdFlags)
	start := time.Now()
	srv, err := NewServer(ctx, ev, opts)
	if err != nil {
		return err
	}
	logger.Printf("%d events ready in %v", ev.Len(), time.Since(start).Round(time.Millisecond))
	return serve(ctx, logger, *addr, srv.Handler(), ready)
}

func loadModels(modelFile, spendFile string) (clv.TransactionModel, *clv.GammaGamma, error) {
	var tm clv.TransactionModel
	var gg *clv.GammaGamma
	load := func(path string) (clv.Model, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return clv.LoadModel(f)
	}
	if modelFile != "" {
		m, err := load(modelFile)
		if err != nil {
			return nil, nil, err
		}
		var ok bool
		if tm, ok = m.(clv.TransactionModel); !ok {
			return nil, nil, fmt.Errorf("%s: %T is not a transaction model", modelFile, m)
		}
	}
	if spendFile != "" {
		m, err := load(spendFile)
		if err != nil {
			return nil, nil, err
		}
		var ok bool
		if gg, ok = m.(*clv.GammaGamma); !ok {
			return nil, nil, fmt.Errorf("%s: %T is not a Gamma-Gamma model", spendFile, m)
		}
	}
	if (tm == nil) != (gg == nil) {
		return nil, nil, errors.New("-model and -spend-model go together")
	}
	return tm, gg, nil
}

// serve runs h on addr until ctx is done, then stops accepting and waits
// up to five seconds for requests in flight.
func serve(ctx context.Context, logger *log.Logger, addr string, h http.Handler, ready chan<- string) error {
	hs := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	logger.Printf("listening on http://%s", ln.Addr())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Printf("stopped")
	return nil
}
