package valuekit

import (
	"strings"

	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Columns names the columns of an export that hold each field of an event.
// An empty name means: look for the field's default name and its common
// aliases (case-insensitively), listed here after the default.
//
//	Customer   customer_id, customer, customerid, customer_no, client_id, client, user_id, id
//	Time       time, date, timestamp, datetime, order_date, invoice_time, invoice_date, created_at
//	Kind       kind, type, event, event_type
//	Amount     amount, value, revenue, sales, dollar_value, total, price
//	Cost       cost
//	Quantity   quantity, qty, cds, units
//	ReferredID referred_id, referred, referee
//	Score      score, rating, feedback_score, nps
//
// Customer and Time are required, and so is Amount unless every row is of
// a kind without money (referral, share, feedback). The others are optional.
type Columns struct {
	Customer   string
	Time       string
	Kind       string
	Amount     string
	Cost       string
	Quantity   string
	ReferredID string
	Score      string
}

// fields of an event, in the order of the aliases table.
const (
	fCustomer = iota
	fTime
	fKind
	fAmount
	fCost
	fQuantity
	fReferred
	fScore
	numFields
)

var fieldNames = [numFields]string{"customer_id", "time", "kind", "amount", "cost", "quantity", "referred_id", "score"}

// fieldOptions and fieldFlags name each field's Columns field and CLI flag,
// for error messages.
var (
	fieldOptions = [numFields]string{"Customer", "Time", "Kind", "Amount", "Cost", "Quantity", "ReferredID", "Score"}
	fieldFlags   = [numFields]string{"customer", "time", "kind", "amount", "cost", "quantity", "referred", "score"}
)

var fieldAliases = [numFields][]string{
	{"customer_id", "customer", "customerid", "customer_no", "client_id", "client", "user_id", "id"},
	{"time", "date", "timestamp", "datetime", "order_date", "invoice_time", "invoice_date", "created_at"},
	{"kind", "type", "event", "event_type"},
	{"amount", "value", "revenue", "sales", "dollar_value", "total", "price"},
	{"cost"},
	{"quantity", "qty", "cds", "units"},
	{"referred_id", "referred", "referee"},
	{"score", "rating", "feedback_score", "nps"},
}

func (c Columns) names() [numFields]string {
	return [numFields]string{c.Customer, c.Time, c.Kind, c.Amount, c.Cost, c.Quantity, c.ReferredID, c.Score}
}

// ReadOptions configure the readers. The zero value reads a file whose
// columns carry the default names (or their aliases), detects the time
// layout, and fails on the first bad row.
type ReadOptions struct {
	// Columns maps event fields to the file's column names.
	Columns Columns

	// TimeLayout is a Go reference layout such as "20060102" or
	// "1/2/2006 15:04". Empty means: detect it from the first value among
	// RFC 3339, 2006-01-02, 2006-01-02 15:04:05 and 20060102. Times without
	// a zone are UTC.
	TimeLayout string

	// KindNames translates an export's own words into kinds, e.g.
	// {"order": Purchase, "return": Refund, "invite": Referral}. Keys match
	// case-insensitively; the kinds' own names always match too.
	KindNames map[string]Kind

	// SkipBadRows makes a reader skip rows with a bad value and report them
	// in BadRows instead of failing on the first. A broken quote in a CSV
	// file is still an error: the rows after it cannot be told apart.
	SkipBadRows bool

	// MaxBadRows, when SkipBadRows is set and MaxBadRows > 0, limits how many
	// bad rows are kept in BadRows; further bad rows are still skipped and
	// counted.
	MaxBadRows int

	// Comma is the CSV field separator; 0 means ','.
	Comma rune

	// Format forces the file format: "csv", "parquet" or "arrow". Empty
	// means: choose by extension (.csv, .csv.gz, .tsv, .parquet, .arrow,
	// .ipc, .feather); unknown extensions are read as CSV.
	Format string

	// BatchSize is the number of rows per batch of an EventReader; 0 means
	// 65,536.
	BatchSize int

	// Allocator allocates the Arrow buffers handed out by Record; nil means
	// memory.DefaultAllocator.
	Allocator memory.Allocator

	// Progress, if not nil, is called by OpenFile's readers (and
	// SummarizeFile) as the file is read, with the bytes read so far and
	// the file's size, about every megabyte; calls may come from several
	// goroutines, one at a time. Parquet and Arrow files are read partly out
	// of order, so their count may overshoot what has been decoded.
	Progress func(read, size int64)
}

func (o *ReadOptions) allocator() memory.Allocator {
	if o.Allocator == nil {
		return memory.DefaultAllocator
	}
	return o.Allocator
}

// kindLookup resolves kind words: the options' translations first, then the
// kinds' own names.
type kindLookup struct {
	names map[string]Kind // lower-cased

	// The last word looked up and its kind: files spell their kinds the
	// same way row after row, so most lookups compare a few bytes instead
	// of hashing. (A copy of the lookup, one per reader, has its own.)
	last    [16]byte
	lastLen int // 1 + the last word's length; 0: none
	lastKnd Kind
}

func newKindLookup(m map[string]Kind) kindLookup {
	k := kindLookup{names: make(map[string]Kind, len(m)+int(numKinds))}
	for i, n := range kindNames {
		k.names[n] = Kind(i)
	}
	for w, kind := range m {
		k.names[strings.ToLower(strings.TrimSpace(w))] = kind
	}
	return k
}

func (k *kindLookup) lookup(b []byte) (Kind, bool) {
	if len(b)+1 == k.lastLen && string(k.last[:len(b)]) == bytesString(b) {
		return k.lastKnd, true
	}
	if kind, ok := k.names[bytesString(b)]; ok {
		if len(b) <= len(k.last) {
			k.lastLen = copy(k.last[:], b) + 1
			k.lastKnd = kind
		}
		return kind, true
	}
	kind, ok := k.names[strings.ToLower(strings.TrimSpace(string(b)))]
	return kind, ok
}
